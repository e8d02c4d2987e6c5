import { CONTRACT_STORE_OPTIONS, describeStoreContract } from '@vigil/storage/testing';
import { SqliteStore } from '../src/index.js';
import { sqliteCorrupter, tempDatabase } from './support/sqlite-subject.js';

describeStoreContract('SqliteStore', {
  setup: async (clock) => {
    const file = tempDatabase();
    const store = new SqliteStore({ ...CONTRACT_STORE_OPTIONS, clock, path: file.path });
    const second = new SqliteStore({ ...CONTRACT_STORE_OPTIONS, clock, path: file.path });
    return {
      store,
      second,
      clock,
      corrupt: sqliteCorrupter(file.path),
      cleanup: async () => {
        await store.close();
        await second.close();
        file.remove();
      },
    };
  },
});
