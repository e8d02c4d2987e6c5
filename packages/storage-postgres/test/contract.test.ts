import { CONTRACT_STORE_OPTIONS, describeStoreContract } from '@vigil/storage/testing';
import { PostgresStore } from '../src/index.js';
import { dropSchema, postgresUrl, uniqueSchema } from './support/postgres.js';
import { postgresCorrupter } from './support/postgres-corrupter.js';

describeStoreContract('PostgresStore', {
  timeout: 30_000,
  setup: async (clock) => {
    const schema = uniqueSchema();
    const options = { ...CONTRACT_STORE_OPTIONS, url: postgresUrl(), schema, clock };
    const store = new PostgresStore(options);
    const second = new PostgresStore(options);
    return {
      store,
      second,
      clock,
      corrupt: postgresCorrupter(schema),
      cleanup: async () => {
        await store.close();
        await second.close();
        await dropSchema(schema);
      },
    };
  },
});
