import type { Page } from '@playwright/test';
import type { MethodArgs, MethodName, MethodResult } from '../src-shared/desktop/contract.js';
import type { Result } from '../src-shared/result.js';

/**
 * One desktop API call from inside the page, as the renderer makes it: its own WebSocket to the
 * browser host with the page's token. For seeding and checking state the screens do not show.
 */
export async function desktopCall<M extends MethodName>(
  page: Page,
  method: M,
  args: MethodArgs<M>,
): Promise<MethodResult<M>> {
  const result = await page.evaluate(
    ({ method, args }) =>
      new Promise<unknown>((resolve, reject) => {
        const token = new URLSearchParams(location.search).get('token') ?? '';
        const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
        ws.onerror = () => reject(new Error('socket failed'));
        ws.onopen = () => ws.send(JSON.stringify({ type: 'call', id: 1, method, args }));
        ws.onmessage = (e: MessageEvent<string>) => {
          const message = JSON.parse(e.data) as { type: string; result: unknown };
          if (message.type === 'result') {
            ws.close();
            resolve(message.result);
          }
        };
      }),
    { method, args },
  );
  const typed = result as Result<MethodResult<M>>;
  if (!typed.ok) throw new Error(`${method}: ${typed.error.code} ${typed.error.message}`);
  return typed.value;
}
