import { loadSharedConfigFiles } from '@smithy/core/config';

/**
 * Why it exists: the SDK reads ~/.aws/config and ~/.aws/credentials once per process and keeps the
 * promise (@smithy/core 3.41.1, `readFile` in dist-cjs/submodules/config/index.js, `filePromises`).
 * Where the files are missing, as in Lambda, that promise holds the ENOENT error, whose stack keeps the
 * call sites of the request that read first, and with them its signing context: the first caller's
 * credentials stayed in a warm container for good. Read here once when the module loads, before any
 * invocation, so the cached promise belongs to no caller.
 */
void loadSharedConfigFiles();
