/**
 * Body of `POST /channels/{channel_id}/settingguide` and `POST /dms/{guild_id}/settingguide`:
 * a message that guides users to the bot's settings.
 */
export interface SettingGuideBody {
  /** Text; in a channel it may mention users (`<@user_id>`). */
  content?: string | undefined;
  /** For DMs: the guild whose settings the guide opens. */
  setting_guide?: { guild_id: string } | undefined;
}
