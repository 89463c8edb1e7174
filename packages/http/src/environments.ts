/** REST base URL of the production platform. */
export const PRODUCTION_API_URL = 'https://api.sgroup.qq.com';
/** REST base URL of the sandbox platform, for bots under development. */
export const SANDBOX_API_URL = 'https://sandbox.api.sgroup.qq.com';
/** Where access tokens are issued; the same for production and sandbox. */
export const ACCESS_TOKEN_URL = 'https://bots.qq.com/app/getAppAccessToken';
