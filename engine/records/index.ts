// The RecordBatch v2 codec's public surface, for `import { ... } from '../records/index.ts'`.

export * from './errors.ts';
export * from './batch-header.ts';
export * from './batch.ts';
export { crc32c } from './crc32c.ts';
