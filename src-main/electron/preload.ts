// Preload of the app window (bundled to dist/main/preload.cjs: sandboxed preloads are one
// CommonJS file with only `electron` to require).
import { contextBridge, ipcRenderer } from 'electron';
import { exposeDesktopApi } from './preloadApi.js';

exposeDesktopApi(contextBridge, ipcRenderer);
