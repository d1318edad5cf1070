import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { setBackend } from './lib/api';

async function boot() {
  // The in-memory fake exists for development and screenshots only: in a production build
  // MODE is "production", the branch is dead code and the fake is not in the bundle.
  if (import.meta.env.MODE !== 'production' && new URLSearchParams(location.search).has('mock')) {
    const { fakeFromQuery } = await import('./lib/backend/mock-boot');
    setBackend(fakeFromQuery(new URLSearchParams(location.search)));
  } else {
    const { tauriBackend } = await import('./lib/backend/tauri');
    setBackend(tauriBackend());
  }
  mount(App, { target: document.getElementById('app')! });
}

void boot();
