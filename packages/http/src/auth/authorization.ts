// The credential format lives in @bot/core, so the gateway can build Identify and Resume frames
// without loading this package (its REST stack and `got` cost a gateway-only bot most of its
// startup). Re-exported here, where REST users look for it.
export { ACCESS_TOKEN_PREFIX, authorization } from '@bot/core';
