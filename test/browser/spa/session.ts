// session.ts
const API = import.meta.env.VITE_API_URL; // e.g. https://api.example.com, same site as the SPA

/** The XSRF-TOKEN cookie Laravel sets, to send back as X-XSRF-TOKEN. */
export function xsrfToken(): string {
  return decodeURIComponent(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/.exec(document.cookie)?.[1] ?? '');
}

/** Sanctum's SPA login: a session and its CSRF cookie first, then the login route. */
export async function login(email: string, password: string): Promise<void> {
  await fetch(`${API}/sanctum/csrf-cookie`, { credentials: 'include' });
  const response = await fetch(`${API}/login`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': xsrfToken() },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`Login: HTTP ${response.status}`);
}

/** GET from the API with the session cookie. */
export async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${API}${path}`, { credentials: 'include', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
