/**
 * Where the web host's WebSocket is and how it is guarded. Apart from the
 * framing schemas (wire.ts), so the renderer's shell finds its socket
 * without loading zod at start-up.
 */
export const WEB_SOCKET_PATH = '/ws';
export const TOKEN_PARAM = 'token';
