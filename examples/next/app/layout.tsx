// app/layout.tsx: a server component; everything that holds a client lives in Providers
import type { ReactNode } from 'react';
import { Providers } from './providers';

export const metadata = { title: 'Orders' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
