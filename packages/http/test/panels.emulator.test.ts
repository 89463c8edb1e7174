import { describe, expect, it } from 'vitest';
import { ApiError, type PanelItem, type PanelRecord, ValidationError } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// Command panels end to end against the emulator, which keeps them as the official SDK describes.

describe('command panels against the emulator', () => {
  const setup = useEmulatorRest();

  const items: PanelItem[] = [
    { type: 'command', name: '/help', desc: 'All commands' },
    { type: 'link', name: 'Docs', desc: 'The manual', link: 'https://example.com/docs' },
  ];

  it('creates a panel, finds it by remark, updates it to a new version and deletes it', async () => {
    const { panel_id } = await setup.api.panels.create({ scope: 'c2c', panel: { remark: 'my-bot', items } });
    const found: PanelRecord[] = [];
    for await (const record of setup.api.panels.all('c2c')) found.push(record);
    const mine = found.find((record) => record.panel.remark === 'my-bot');
    expect(mine).toMatchObject({ panel_id, scope: 'c2c', target_type: 'all', version: 1 });

    const { version } = await setup.api.panels.update(panel_id, {
      remark: 'my-bot',
      items: items.slice(0, 1),
    });
    expect(version).toBe(2);
    expect((await setup.api.panels.get(panel_id)).panel.items).toEqual(items.slice(0, 1));

    await setup.api.panels.delete(panel_id);
    const gone = await setup.api.panels.get(panel_id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiError);
    expect(gone).toMatchObject({ status: 404 });
  });

  it('reads every page of a scope with all(), and only that scope', async () => {
    for (let i = 0; i < 45; i++)
      await setup.api.panels.create({ scope: 'group', panel: { remark: `g${i}` } });
    await setup.api.panels.create({ scope: 'dm', panel: { remark: 'other scope' } });

    const first = await setup.api.panels.list({ scope: 'group', limit: 20 });
    expect(first).toMatchObject({ is_end: false });
    expect(first.records).toHaveLength(20);
    const remarks: string[] = [];
    for await (const record of setup.api.panels.all('group')) remarks.push(record.panel.remark ?? '');
    expect(remarks).toEqual(Array.from({ length: 45 }, (_, i) => `g${i}`));
  });

  it('adds and removes the groups of a specific panel, and refuses target changes on an all panel', async () => {
    const specific = await setup.api.panels.create({
      scope: 'group',
      target_type: 'specific',
      group_openids: ['G1'],
      panel: { items },
    });
    await setup.api.panels.updateTarget(specific.panel_id, { op: 'add', group_openids: ['G2'] });
    await setup.api.panels.updateTarget(specific.panel_id, { op: 'del', group_openids: ['G1'] });
    expect((await setup.api.panels.get(specific.panel_id)).group_openids).toEqual(['G2']);

    const all = await setup.api.panels.create({ scope: 'group', panel: { items } });
    const refused = await setup.api.panels
      .updateTarget(all.panel_id, { op: 'add', group_openids: ['G3'] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 40030021 });
  });

  it('refuses what breaks the limits before sending: a name wider than 14 columns, specific guild panels, 21 entries', async () => {
    const wide = await setup.api.panels
      .create({ scope: 'c2c', panel: { items: [{ type: 'command', name: '/这是一个很长的名字' }] } })
      .catch((e: unknown) => e);
    expect(wide).toMatchObject({ field: 'body.panel.items[0].name' });
    const guild = await setup.api.panels
      .create({ scope: 'channel', target_type: 'specific', panel: {} })
      .catch((e: unknown) => e);
    expect(guild).toMatchObject({ field: 'body.target_type' });
    const many = await setup.api.panels
      .create({ scope: 'c2c', panel: { items: Array.from({ length: 21 }, () => ({ name: '/x' })) } })
      .catch((e: unknown) => e);
    expect(many).toBeInstanceOf(ValidationError);

    // Nothing reached the platform: it holds no panel.
    const listed = await setup.api.panels.list({ scope: 'c2c' });
    expect(listed.records).toEqual([]);
  });
});
