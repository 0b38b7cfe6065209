// app/api/orders/[id]/route.ts: stands in for your Laravel API (GET /api/orders/{id})
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return Response.json({ id: Number(id), status: 'paid' });
}
