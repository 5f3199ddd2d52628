// The IPC channels of the Electron preload bridge. Kept apart from api.ts (and its zod schemas) so the
// sandboxed preload bundle stays a few lines long.
export const BRIDGE_CHANNELS = { request: 'furrow:request', event: 'furrow:event' } as const;
