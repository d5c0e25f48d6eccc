import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { roomChunk } from './room-chunk.ts';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  // Beside each compressible file of the build, a .br and a .gz copy for the server to send (signaling/http.ts).
  plugins: [precompress()],
  resolve: {
    // simple-peer's package entry needs Node globals; its prebuilt browser bundle does not.
    alias: { 'simple-peer': 'simple-peer/simplepeer.min.js' },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Lit, @lit/localize and the limits are shared by the join form, the room code and each language's words;
            // left to itself the bundler cut them into several chunks, one too small to compress. One chunk instead.
            { name: 'lit', test: /node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]|shared[\\/]limits\.ts$/ },
            { name: roomChunk('./src/main.ts', './src/app/room-entry.ts', 'room-entry'), debugName: 'room-entry' },
          ],
          includeDependenciesRecursively: false,
        },
      },
    },
  },
  server: {
    // `npm run dev` serves the client with hot reload and sends /ws to a signaling server on port 8080.
    proxy: { '/ws': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
