/**
 * The only API the renderer gets on the desktop: the contract's bridge. It
 * forwards contract call and stream names, nothing else; main validates every
 * payload and checks the sender.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, isCallName, isStreamName, type Envelope, type TunebenchBridge } from '../shared/contract.js';

type Listener = (payload: unknown) => void;

/**
 * One IPC listener fans out to every subscriber, so a page with many charts
 * does not pile up ipcRenderer listeners (and Node's max-listeners warning).
 */
const subscribers = new Map<string, Set<Listener>>();

ipcRenderer.on(ipcChannels.stream, (_event: IpcRendererEvent, stream: string, payload: unknown) => {
  for (const listener of subscribers.get(stream) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      // One failing subscriber must not starve the others of the same frame.
      console.error(`tunebench: a ${stream} subscriber failed`, error);
    }
  }
});

const bridge: TunebenchBridge = {
  call(name, payload): Promise<Envelope> {
    if (!isCallName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'TB_UNKNOWN_CALL', message: `Unknown call "${String(name)}"` } });
    }
    return ipcRenderer.invoke(ipcChannels.call, name, payload) as Promise<Envelope>;
  },
  subscribe(stream, listener) {
    if (!isStreamName(stream)) throw new Error(`Unknown stream "${String(stream)}"`);
    if (typeof listener !== 'function') throw new Error(`subscribe("${stream}") needs a listener function`);
    let listeners = subscribers.get(stream);
    if (!listeners) subscribers.set(stream, (listeners = new Set()));
    // Wrapped so the same function subscribed twice gets two independent disposers.
    const entry: Listener = (payload) => listener(payload);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('tunebench', bridge);
