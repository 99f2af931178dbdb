/**
 * The WebSocket address of a conversation: the base URL's scheme turned
 * into ws: or wss:, the route, and the query the protocol uses.
 */
export function socketUrl(
  baseUrl: string,
  conversationId: string,
  query: { after: number | null; token: string | null },
): string {
  const url = new URL(
    `${baseUrl}/v1/conversations/${encodeURIComponent(conversationId)}/ws`,
  );
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";

  if (query.after !== null) url.searchParams.set("after", String(query.after));
  if (query.token !== null) url.searchParams.set("token", query.token);
  return url.toString();
}
