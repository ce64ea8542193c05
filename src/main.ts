import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { boot } from './app';
import { registerServiceWorker } from './pwa/register';

const root = document.getElementById('app')!;
window.__atlasBoot = boot(root).catch((e: unknown) => {
  // Last resort: never a blank page without a reason.
  console.error(e);
  const msg = document.createElement('div');
  msg.className = 'fatal';
  msg.textContent = `城市环境图谱无法启动 / Civic Atlas could not start: ${(e as Error)?.message ?? String(e)}`;
  root.append(msg);
  return null;
});
void registerServiceWorker(window.__atlasBoot.then((h) => h?.settled()));
