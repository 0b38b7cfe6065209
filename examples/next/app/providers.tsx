// app/providers.tsx
'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { RealtimeProvider } from 'echo-react-query';
import type { ReactNode } from 'react';
import { getQueryClient } from './get-query-client';
import { realtime } from './realtime';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={getQueryClient()}>
      <RealtimeProvider client={realtime}>{children}</RealtimeProvider>
    </QueryClientProvider>
  );
}
