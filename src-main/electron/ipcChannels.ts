/** The only IPC channels between the preload and main (both sides import these names). */
export const IPC_CALL = 'weebum:call';
export const IPC_SUBSCRIBE = 'weebum:subscribe';
export const IPC_UNSUBSCRIBE = 'weebum:unsubscribe';
export const IPC_EVENT = 'weebum:event';
