// Drives `engagements fake` with HubSpot's official Node client
// (@hubspot/api-client, pinned in package.json), as a user of another
// language would: create, get, list (properties in the repeated form the
// client sends), update, search, batch create/read/update/archive and
// archive, for tasks and notes, on the v3 wire, and the 2026-03 wire through
// the client's apiRequest in both forms (repeated and comma-separated).
//
// Usage: HUBSPOT_BASE_URL=… HUBSPOT_TOKEN=… node check.js
// It prints one line per check and exits 1 at the first that fails.
'use strict';

const assert = require('node:assert/strict');
const hubspot = require('@hubspot/api-client');

const baseURL = process.env.HUBSPOT_BASE_URL;
const token = process.env.HUBSPOT_TOKEN;
if (!baseURL || !token) {
  console.error('set HUBSPOT_BASE_URL and HUBSPOT_TOKEN');
  process.exit(2);
}
const client = new hubspot.Client({ accessToken: token, basePath: baseURL });

// status is the HTTP status of a rejected call of the client.
async function status(promise) {
  try {
    await promise;
  } catch (e) {
    if (e && typeof e.code === 'number') return e.code;
    throw e;
  }
  return 200;
}

// dated calls the 2026-03 wire through apiRequest; qs is URLSearchParams
// input, so [['properties', 'a'], ['properties', 'b']] is the repeated form.
async function dated(method, path, qs, body) {
  const res = await client.apiRequest({ method, path: '/crm/objects/2026-03' + path, qs, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const objects = [
  {
    type: 'tasks',
    api: client.crm.objects.tasks,
    props: (i) => ({
      hs_task_subject: `node task ${i}`,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: 'HIGH',
      hs_timestamp: '2026-03-01T10:00:00.000Z',
    }),
    names: ['hs_task_subject', 'hs_task_status', 'hs_task_priority'],
    change: { hs_task_status: 'COMPLETED' },
    text: 'hs_task_subject',
  },
  {
    type: 'notes',
    api: client.crm.objects.notes,
    props: (i) => ({ hs_note_body: `node note ${i}`, hs_timestamp: '2026-03-01T10:00:00.000Z' }),
    names: ['hs_note_body', 'hs_timestamp'],
    change: { hs_note_body: 'node note, edited' },
    text: 'hs_note_body',
  },
];

async function checkObject(o) {
  const step = (name) => console.log(`ok ${o.type}: ${name}`);
  const [first, second] = o.names;

  const made = await o.api.basicApi.create({ properties: o.props(1), associations: [] });
  assert.match(made.id, /^[0-9]+$/);
  assert.equal(made.properties[o.text], o.props(1)[o.text]);
  step('create');

  // getById(id, properties, propertiesWithHistory, associations, archived)
  const got = await o.api.basicApi.getById(made.id, o.names, undefined, ['contacts']);
  for (const n of o.names) assert.equal(got.properties[n], o.props(1)[n], n);
  step(`get ?properties=${first}&properties=${second}…`);

  const page = await o.api.basicApi.getPage(100, undefined, o.names, undefined, ['contacts'], false);
  const listed = page.results.find((r) => r.id === made.id);
  assert.ok(listed, 'the new record is on the first page');
  for (const n of o.names) assert.equal(listed.properties[n], o.props(1)[n], n);
  step('list with properties and associations (repeated form)');

  const key = Object.keys(o.change)[0];
  const updated = await o.api.basicApi.update(made.id, { properties: o.change });
  assert.equal(updated.properties[key], o.change[key]);
  const history = await o.api.basicApi.getById(made.id, [key], [key]);
  assert.equal(history.properties[key], o.change[key]);
  const values = history.propertiesWithHistory[key].map((h) => h.value);
  assert.ok(values.includes(o.change[key]) && values.includes(o.props(1)[key]), `history of ${key}: ${values}`);
  step('update, then get with propertiesWithHistory');

  const found = await o.api.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: made.id }] }],
    properties: o.names,
    sorts: ['hs_object_id'],
    limit: 10,
    after: '0',
  });
  assert.equal(found.total, 1);
  assert.equal(found.results[0].properties[key], o.change[key]);
  step('search (a sort as a string, as the client types it)');

  const batch = await o.api.batchApi.create({ inputs: [2, 3].map((i) => ({ properties: o.props(i), associations: [] })) });
  assert.equal(batch.results.length, 2);
  const ids = batch.results.map((r) => r.id);
  const sorted = await o.api.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'IN', values: ids }] }],
    properties: o.names,
    sorts: [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }],
    limit: 10,
    after: '0',
  });
  assert.deepEqual(sorted.results.map((r) => r.id), [...ids].sort((a, b) => Number(b) - Number(a)));
  const read = await o.api.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: o.names, propertiesWithHistory: [] }, false);
  assert.deepEqual(read.results.map((r) => r.id).sort(), [...ids].sort());
  const edited = await o.api.batchApi.update({ inputs: ids.map((id) => ({ id, properties: o.change })) });
  assert.ok(edited.results.every((r) => r.properties[key] === o.change[key]));
  await o.api.batchApi.archive({ inputs: ids.map((id) => ({ id })) });
  assert.equal(await status(o.api.basicApi.getById(ids[0])), 404);
  step('batch create, search sorted, batch read, update, archive');

  // The 2026-03 wire, with both forms of an array parameter.
  for (const [form, qs] of [
    ['repeated', o.names.map((n) => ['properties', n])],
    ['comma-separated', [['properties', o.names.join(',')]]],
  ]) {
    const r = await dated('GET', `/${o.type}/${made.id}`, qs);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.properties[key], o.change[key]);
    for (const n of o.names) assert.ok(n in r.body.properties, `${form}: ${n}`);
    step(`2026-03 get, ${form} properties`);
  }

  await o.api.basicApi.archive(made.id);
  assert.equal(await status(o.api.basicApi.getById(made.id)), 404);
  const archived = await o.api.basicApi.getById(made.id, o.names, undefined, undefined, true);
  assert.equal(archived.archived, true);
  step('archive, then get ?archived=true');
}

(async () => {
  for (const o of objects) await checkObject(o);
  console.log('all checks passed');
})().catch((e) => {
  console.error('FAIL:', e && e.body ? `${e.message}: ${JSON.stringify(e.body)}` : e);
  process.exit(1);
});
