/** What a button does when clicked (`action.type`). */
export const ButtonActionType = {
  /** Open `data` as a link. */
  Jump: 0,
  /** Send an `INTERACTION_CREATE` event carrying `data`. */
  Callback: 1,
  /** Insert `@bot data` into the input box. */
  Command: 2,
} as const;
/** A value of {@link ButtonActionType}. */
export type ButtonActionType = (typeof ButtonActionType)[keyof typeof ButtonActionType];

/** Who may click a button (`action.permission.type`). */
export const ButtonPermissionType = {
  SpecifiedUsers: 0,
  Managers: 1,
  Everyone: 2,
  /** Guilds only. */
  SpecifiedRoles: 3,
} as const;
/** A value of {@link ButtonPermissionType}. */
export type ButtonPermissionType = (typeof ButtonPermissionType)[keyof typeof ButtonPermissionType];

/** Button looks (`render_data.style`). */
export const ButtonStyle = {
  GreyOutline: 0,
  BlueOutline: 1,
} as const;
/** A value of {@link ButtonStyle}. */
export type ButtonStyle = (typeof ButtonStyle)[keyof typeof ButtonStyle];

/** How a button is drawn. */
export interface ButtonRenderData {
  /** Text on the button. */
  label: string;
  /** Text after a click. */
  visited_label: string;
  /** Looks. */
  style: ButtonStyle;
}

/** Who may click a button. */
export interface ButtonPermission {
  /** Rule kind. */
  type: ButtonPermissionType;
  /** Users allowed by {@link ButtonPermissionType.SpecifiedUsers}. */
  specify_user_ids?: string[];
  /** Roles allowed by {@link ButtonPermissionType.SpecifiedRoles}. */
  specify_role_ids?: string[];
}

/** What a click does. */
export interface ButtonAction {
  /** Action kind. */
  type: ButtonActionType;
  /** Who may click. */
  permission: ButtonPermission;
  /** Link, callback data or command text. */
  data: string;
  /** Toast shown by clients that cannot perform the action. */
  unsupport_tips: string;
  /** Command buttons: quote the message in the inserted command. */
  reply?: boolean;
  /** Command buttons: send the command at once. */
  enter?: boolean;
  /** Command buttons: `1` opens the image picker (mobile C2C). */
  anchor?: number;
  /** Deprecated by the platform: clicks allowed. */
  click_limit?: number;
  /** Deprecated by the platform: let the user pick a channel. */
  at_bot_show_channel_list?: boolean;
}

/** One button. */
export interface KeyboardButton {
  /** Button id, unique within the keyboard. */
  id?: string;
  /** Looks. */
  render_data: ButtonRenderData;
  /** Behaviour. */
  action: ButtonAction;
  /** Buttons sharing a group grey out together after one is clicked. */
  group_id?: string;
}

/** One row of up to five buttons. */
export interface KeyboardRow {
  /** Buttons of the row. */
  buttons: KeyboardButton[];
}

/** A keyboard defined inline: up to five rows. */
export interface CustomKeyboard {
  /** Rows of buttons. */
  rows: KeyboardRow[];
}

/** Buttons attached to a (markdown) message: a registered template `id`, or inline `content`. */
export interface MessageKeyboard {
  /** Id of a registered keyboard template. */
  id?: string;
  /** Inline keyboard. */
  content?: CustomKeyboard;
}
