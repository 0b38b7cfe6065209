// api.ts
const API = import.meta.env.VITE_API_URL; // the Laravel app, e.g. https://api.example.com

/** GET from the API with the user's Sanctum token. */
export async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${API}${path}`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${localStorage.getItem('token')}` },
  });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
