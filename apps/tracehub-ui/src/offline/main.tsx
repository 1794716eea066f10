// Entry of the offline trace file (vite.offline.config.ts): reads the embedded data, renders the trace.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { OfflineApp } from './OfflineApp';
import { OFFLINE_DATA_ID, parseOfflineData } from './offlineData';
import '../styles/base.css';
import '../styles/trace.css';
import '../styles/transfer.css';

const root = createRoot(document.getElementById('root')!);
try {
  const data = parseOfflineData(document.getElementById(OFFLINE_DATA_ID)?.textContent ?? '');
  root.render(
    <StrictMode>
      <OfflineApp data={data} />
    </StrictMode>,
  );
} catch (e) {
  root.render(
    <div className="message">
      <h2>Cannot show this trace</h2>
      <p>{(e as Error).message}</p>
    </div>,
  );
}
