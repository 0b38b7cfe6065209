// The guide's files are a Vite app's: `import.meta.env` typed as Vite types it (the test bundles
// define it with esbuild, as Vite would).
/// <reference types="vite/client" />
