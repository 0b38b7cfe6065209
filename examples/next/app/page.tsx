// app/page.tsx: a server component rendering a client one
import { Order } from './order';

export default function Page() {
  return (
    <main>
      <h1>Orders</h1>
      <Order id={1} />
    </main>
  );
}
