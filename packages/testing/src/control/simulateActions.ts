import { EmulatorError } from '../EmulatorError.js';
import type { MessageAttachment } from '../protocol/wire.js';
import type { Simulator } from '../simulate/Simulator.js';
import { isJsonObject, type JsonObject } from '../util/guards.js';
import { type FieldSpec, readFields } from './fieldSpec.js';

const guildMessage = {
  content: 'string',
  channelId: 'string?',
  guildId: 'string?',
  authorId: 'string?',
  raw: 'boolean?',
} as const satisfies FieldSpec;
const directMessage = {
  content: 'string',
  dmGuildId: 'string?',
  raw: 'boolean?',
} as const satisfies FieldSpec;
const groupMessage = {
  content: 'string',
  groupOpenid: 'string?',
  memberOpenid: 'string?',
  attachments: 'array?',
  raw: 'boolean?',
} as const satisfies FieldSpec;
const c2cMessage = {
  content: 'string',
  userOpenid: 'string?',
  attachments: 'array?',
  raw: 'boolean?',
} as const satisfies FieldSpec;
const interaction = {
  scene: 'string',
  buttonId: 'string',
  buttonData: 'string?',
  channelId: 'string?',
  userId: 'string?',
  groupOpenid: 'string?',
  memberOpenid: 'string?',
  userOpenid: 'string?',
  messageId: 'string?',
  allowUnsentButton: 'boolean?',
} as const satisfies FieldSpec;
const memberJoin = {
  guildId: 'string?',
  userId: 'string?',
  username: 'string?',
} as const satisfies FieldSpec;
const memberLeave = { guildId: 'string?', userId: 'string' } as const satisfies FieldSpec;
const memberUpdate = {
  guildId: 'string?',
  userId: 'string',
  nick: 'string?',
  roles: 'array?',
  opUserId: 'string?',
} as const satisfies FieldSpec;
const guildCreate = {
  guildId: 'string?',
  name: 'string?',
  description: 'string?',
  opUserId: 'string?',
} as const satisfies FieldSpec;
const guildUpdate = guildCreate;
const guildDelete = { guildId: 'string', opUserId: 'string?' } as const satisfies FieldSpec;
const messageDelete = { messageId: 'string', opUserId: 'string?' } as const satisfies FieldSpec;
const reaction = {
  messageId: 'string',
  channelId: 'string?',
  userId: 'string?',
  emoji: 'object?',
} as const satisfies FieldSpec;
const voice = { channelId: 'string', userId: 'string?' } as const satisfies FieldSpec;
const groupAction = {
  groupOpenid: 'string?',
  opMemberOpenid: 'string?',
  name: 'string?',
} as const satisfies FieldSpec;
const userAction = { userOpenid: 'string?', name: 'string?' } as const satisfies FieldSpec;
const audit = { auditId: 'string' } as const satisfies FieldSpec;
const dispatch = { t: 'string', d: 'any', guildId: 'string?' } as const satisfies FieldSpec;

function attachments(value: unknown[] | undefined): { attachments?: MessageAttachment[] } {
  if (value === undefined) return {};
  const list = value.map((item, index) => {
    if (!isJsonObject(item) || typeof item['url'] !== 'string')
      throw new EmulatorError(`attachments[${index}] must be an object with a string "url"`);
    return { ...item, url: item['url'] };
  });
  return { attachments: list };
}

function roleIds(value: unknown[] | undefined): { roles?: string[] } {
  if (value === undefined) return {};
  if (!value.every((id): id is string => typeof id === 'string'))
    throw new EmulatorError('field "roles" must be an array of role id strings');
  return { roles: value };
}

function emoji(value: JsonObject | undefined): { emoji?: { id: string; type: number } } {
  if (value === undefined) return {};
  const { id, type } = value;
  if (typeof id !== 'string' || typeof type !== 'number')
    throw new EmulatorError('field "emoji" must be {"id": string, "type": number}');
  return { emoji: { id, type } };
}

function scene(value: string): 'guild' | 'group' | 'c2c' {
  if (value !== 'guild' && value !== 'group' && value !== 'c2c')
    throw new EmulatorError('field "scene" must be guild, group or c2c');
  return value;
}

/** Each simulation the control API offers: `POST /__emulator/simulate/<name>`, same option names as the TS API. */
const ACTIONS: Readonly<Record<string, (simulate: Simulator, body: unknown) => unknown>> = {
  guildAtMessage: (s, b) => s.guildAtMessage(readFields(b, guildMessage)),
  guildMessage: (s, b) => s.guildMessage(readFields(b, guildMessage)),
  directMessage: (s, b) => s.directMessage(readFields(b, directMessage)),
  groupAtMessage: (s, b) => {
    const { attachments: list, ...input } = readFields(b, groupMessage);
    return s.groupAtMessage({ ...input, ...attachments(list) });
  },
  c2cMessage: (s, b) => {
    const { attachments: list, ...input } = readFields(b, c2cMessage);
    return s.c2cMessage({ ...input, ...attachments(list) });
  },
  interaction: (s, b) => {
    const input = readFields(b, interaction);
    return s.interaction({ ...input, scene: scene(input.scene) });
  },
  memberJoin: (s, b) => s.memberJoin(readFields(b, memberJoin)),
  memberLeave: (s, b) => s.memberLeave(readFields(b, memberLeave)),
  memberUpdate: (s, b) => {
    const { roles, ...input } = readFields(b, memberUpdate);
    return s.memberUpdate({ ...input, ...roleIds(roles) });
  },
  guildCreate: (s, b) => s.guildCreate(readFields(b, guildCreate)),
  guildUpdate: (s, b) => s.guildUpdate(readFields(b, guildUpdate)),
  guildDelete: (s, b) => s.guildDelete(readFields(b, guildDelete)),
  messageDelete: (s, b) => s.messageDelete(readFields(b, messageDelete)),
  reactionAdd: (s, b) => {
    const { emoji: given, ...input } = readFields(b, reaction);
    return s.reactionAdd({ ...input, ...emoji(given) });
  },
  reactionRemove: (s, b) => {
    const { emoji: given, ...input } = readFields(b, reaction);
    return s.reactionRemove({ ...input, ...emoji(given) });
  },
  voiceEnter: (s, b) => s.voiceEnter(readFields(b, voice)),
  voiceExit: (s, b) => s.voiceExit(readFields(b, voice)),
  groupAddRobot: (s, b) => s.groupAddRobot(readFields(b, groupAction)),
  groupDelRobot: (s, b) => s.groupDelRobot(readFields(b, groupAction)),
  groupMsgReject: (s, b) => s.groupMsgReject(readFields(b, groupAction)),
  groupMsgReceive: (s, b) => s.groupMsgReceive(readFields(b, groupAction)),
  friendAdd: (s, b) => s.friendAdd(readFields(b, userAction)),
  friendDel: (s, b) => s.friendDel(readFields(b, userAction)),
  c2cMsgReject: (s, b) => s.c2cMsgReject(readFields(b, userAction)),
  c2cMsgReceive: (s, b) => s.c2cMsgReceive(readFields(b, userAction)),
  auditPass: (s, b) => s.auditPass(readFields(b, audit).auditId),
  auditReject: (s, b) => s.auditReject(readFields(b, audit).auditId),
  dispatch: (s, b) => {
    const input = readFields(b, dispatch);
    return s.dispatch(
      input.t,
      input.d ?? null,
      input.guildId !== undefined ? { guildId: input.guildId } : {},
    );
  },
};

/** Names of the simulations the control API offers. */
export const SIMULATION_NAMES: readonly string[] = Object.keys(ACTIONS);

/** Runs a simulation by name with a JSON body; throws {@link EmulatorError} for unknown names or bad input. */
export function runSimulation(simulate: Simulator, name: string, body: unknown): unknown {
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action)
    throw new EmulatorError(`unknown simulation "${name}" (known: ${SIMULATION_NAMES.join(', ')})`);
  return action(simulate, body);
}
