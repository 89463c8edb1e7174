/**
 * A throwaway self-signed key and certificate for 127.0.0.1 and localhost (valid for a century),
 * for a TLS server no client trusts: the certificate check fails in the handshake.
 */
export const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgM1XY3hLpziZB0MBo
8Aa5y+0y8qPYgpQyntPKQxOHkEKhRANCAATcoH3R2ngihzue0JubtS7BxSuqxBqv
HlCUvX9i3O9Wn2lhzUE/QnzFvrMoZhuNGzoBWx8S3ckdMJrXYhFp3Agc
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUcBG7bzR5FJG87Aq9duHdULfK/N8wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNjIzMjEwNloYDzIxMjYxMTEy
MjMyMTA2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATcoH3R2ngihzue0JubtS7BxSuqxBqvHlCUvX9i3O9Wn2lhzUE/QnzF
vrMoZhuNGzoBWx8S3ckdMJrXYhFp3Agco28wbTAdBgNVHQ4EFgQU5yEmkx562Uq5
L1+oEWKDC9naFoMwHwYDVR0jBBgwFoAU5yEmkx562Uq5L1+oEWKDC9naFoMwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIgJWkDoNgvMromLP9Hd43l3UA3e1CtV0R3fXAih/qO9fkCIQDc
YP4J7ZG4q1Z5989ajMqC0ZeHdUTYhfjWVnlxjkuRPg==
-----END CERTIFICATE-----
`,
} as const;
