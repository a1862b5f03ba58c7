/**
 * The only API the renderer gets on the desktop: the contract's bridge. It
 * forwards contract call and stream names, nothing else; main validates every
 * payload and checks the sender.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, isCallName, isStreamName, type Envelope, type TunebenchBridge } from '../shared/contract.js';

const bridge: TunebenchBridge = {
  call(name, payload): Promise<Envelope> {
    if (!isCallName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'TB_UNKNOWN_CALL', message: `Unknown call "${String(name)}"` } });
    }
    return ipcRenderer.invoke(ipcChannels.call, name, payload) as Promise<Envelope>;
  },
  subscribe(stream, listener) {
    if (!isStreamName(stream)) throw new Error(`Unknown stream "${String(stream)}"`);
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === stream) listener(payload);
    };
    ipcRenderer.on(ipcChannels.stream, handler);
    return () => {
      ipcRenderer.removeListener(ipcChannels.stream, handler);
    };
  },
};

contextBridge.exposeInMainWorld('tunebench', bridge);
