import { z } from 'zod';

/**
 * Messages of the browser host's WebSocket transport. Requests carry an id the answer echoes;
 * events are pushed only for names the page subscribed to.
 */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('call'),
    id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    method: z.string().max(100),
    args: z.unknown(),
  }),
  z.strictObject({ type: z.literal('subscribe'), event: z.string().max(100) }),
  z.strictObject({ type: z.literal('unsubscribe'), event: z.string().max(100) }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessage =
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown };

/** Larger messages are refused: nothing the renderer sends needs more. */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024 * 1024;
