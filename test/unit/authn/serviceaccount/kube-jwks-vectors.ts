// Known answers recorded from kube-apiserver v1.34.4's own code: a Go program fed these PEM files through
// keyutil.PublicKeysFromFile and serviceaccount.StaticPublicKeysGetter into serviceaccount.NewOpenIDMetadataProvider
// (issuer https://kubernetes.default.svc.cluster.local, external address 127.0.0.1:6443) and printed
// GetConfigJSON and GetKeysetJSON byte for byte (pkg/serviceaccount/openidmetadata.go, go-jose v2.6.3).

/** One public key and kube's JWKS for it alone. */
export interface KubeJwksVector {
  name: string;
  pem: string;
  /** GetKeysetJSON for this key alone. */
  keyset: string;
}

export const KUBE_JWKS_VECTORS: readonly KubeJwksVector[] = [
  {
    name: "RSA 2048, e=65537",
    pem: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2QVtM39m5EANEgYWl7JE\nEGfBROizmLdKXGI7UDzCswy9swSs/EKfkToVfSeIYK4dEo8b0DN2ouKkwAh5fdHn\nmZNEfhvd8Lcjluw57I6HaOFyzd6FMHWmH8IW8t6kGvqRM9z48Gc6U+WdOeCmJI1q\ndUlhmk9e8tYzZ7O6+Y+/WQNz34n1yj74dTYq1kj8AagT5cwQMsILQy95KGTh0lGh\nRaz5vFF2VBgGYn7ADtujZQPQ/CiZG7v7G/kXnE75TpgLEmFPRBVhnNGT2YN+Mi8o\n+7UoMn8zwHY8yqcRByKjSEpWeECE9Lw8UMH4WCg03ku1M/aWoSaf0WKfUZzBRx99\n2wIDAQAB\n-----END PUBLIC KEY-----\n",
    keyset: "{\"keys\":[{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"RAZ-gp0eQW_G1oxc0rgMC0M8kozD5Ad2KWS59_70Rv4\",\"alg\":\"RS256\",\"n\":\"2QVtM39m5EANEgYWl7JEEGfBROizmLdKXGI7UDzCswy9swSs_EKfkToVfSeIYK4dEo8b0DN2ouKkwAh5fdHnmZNEfhvd8Lcjluw57I6HaOFyzd6FMHWmH8IW8t6kGvqRM9z48Gc6U-WdOeCmJI1qdUlhmk9e8tYzZ7O6-Y-_WQNz34n1yj74dTYq1kj8AagT5cwQMsILQy95KGTh0lGhRaz5vFF2VBgGYn7ADtujZQPQ_CiZG7v7G_kXnE75TpgLEmFPRBVhnNGT2YN-Mi8o-7UoMn8zwHY8yqcRByKjSEpWeECE9Lw8UMH4WCg03ku1M_aWoSaf0WKfUZzBRx992w\",\"e\":\"AQAB\"}]}",
  },
  {
    name: "RSA 1024, e=3 (e is written without leading zero bytes)",
    pem: "-----BEGIN PUBLIC KEY-----\nMIGdMA0GCSqGSIb3DQEBAQUAA4GLADCBhwKBgQC90HuWGoz/qeemoYDiXEpj+4Ro\nLBWn1ttn37Mc07YgfKQciyrVCGmz5lk1D2dY4+D+X46HAdn/rteS79WQuo4/5XFM\nMYDOoDsVymkBHeiqOwi97auxoWSdZZA7sSFCu+JG2IGqHb7ITD6NTzdHnH1wAQR3\n/WCeZRMH9UzIU2u4ewIBAw==\n-----END PUBLIC KEY-----\n",
    keyset: "{\"keys\":[{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"nQYHc6sEQFKVePLjA0wFWZ69Ew5a4w19880Gy5_l8qE\",\"alg\":\"RS256\",\"n\":\"vdB7lhqM_6nnpqGA4lxKY_uEaCwVp9bbZ9-zHNO2IHykHIsq1Qhps-ZZNQ9nWOPg_l-OhwHZ_67Xku_VkLqOP-VxTDGAzqA7FcppAR3oqjsIve2rsaFknWWQO7EhQrviRtiBqh2-yEw-jU83R5x9cAEEd_1gnmUTB_VMyFNruHs\",\"e\":\"Aw\"}]}",
  },
  {
    name: "P-256 whose x starts with a zero byte (x is padded to 32 bytes)",
    pem: "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAFfkRR/aHZ1jUrKGG0EAWBP36yiQ\naV6UHh5UCg6icRhb4/DqBQns/7hrtjn0H40ycr4MotalrPgVHPo7x3eeBw==\n-----END PUBLIC KEY-----\n",
    keyset: "{\"keys\":[{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"S2QX6i6rtyz9oDi0aQuslCTOCLK4DEOtHuUXpp0vCA4\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"AFfkRR_aHZ1jUrKGG0EAWBP36yiQaV6UHh5UCg6icRg\",\"y\":\"W-Pw6gUJ7P-4a7Y59B-NMnK-DKLWpaz4FRz6O8d3ngc\"}]}",
  },
  {
    name: "P-384",
    pem: "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE4KsY5vDZxT8EEsWXq6EU3vCm0UA8Ufrw\nwwmemzSpcVftUF+fEj0wNyjXg18kplA7xV3QO2wrLfRKNNcXe2ZntSRTur8Hkv2t\nxuk+riHBSL5S0ORfTC2kCNmFJFN6glgx\n-----END PUBLIC KEY-----\n",
    keyset: "{\"keys\":[{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"o4eK_aTk-uh1ttJIQvvGVSUTYU2DTc9pj_lkD5IIvJY\",\"crv\":\"P-384\",\"alg\":\"ES384\",\"x\":\"4KsY5vDZxT8EEsWXq6EU3vCm0UA8UfrwwwmemzSpcVftUF-fEj0wNyjXg18kplA7\",\"y\":\"xV3QO2wrLfRKNNcXe2ZntSRTur8Hkv2txuk-riHBSL5S0ORfTC2kCNmFJFN6glgx\"}]}",
  },
  {
    name: "P-521 whose y starts with a zero byte (x and y are 66 bytes)",
    pem: "-----BEGIN PUBLIC KEY-----\nMIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQBixFAcnKI41XWXaO6STUx6AFgvxA+\npNR5lcf1QS6pq0I5DRS87fGSAfvwAPOc4QmFLm+QXDcgmRfljgZN8q0299YAXDiM\n5tK19VkxHgIoovPnD1uIoebPZf5BwMW33j3MnG7JrvirgeBKjkbh5vtIPkMwvFJB\nvbry9KFLPlvQ1Z6T1kI=\n-----END PUBLIC KEY-----\n",
    keyset: "{\"keys\":[{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"bd7FeiUGTELa6wurLLR_iH_o6LZ_GlqrMDT296EaAb0\",\"crv\":\"P-521\",\"alg\":\"ES512\",\"x\":\"AYsRQHJyiONV1l2jukk1MegBYL8QPqTUeZXH9UEuqatCOQ0UvO3xkgH78ADznOEJhS5vkFw3IJkX5Y4GTfKtNvfW\",\"y\":\"AFw4jObStfVZMR4CKKLz5w9biKHmz2X-QcDFt949zJxuya74q4HgSo5G4eb7SD5DMLxSQb268vShSz5b0NWek9ZC\"}]}",
  },
];

/** The order of keys given to kube for ALL_KEYSET and ALL_CONFIG, as indexes into KUBE_JWKS_VECTORS: a key given twice is listed twice. */
export const ALL_ORDER: readonly number[] = [0, 2, 3, 4, 1, 0];

/** GetKeysetJSON for the keys in ALL_ORDER. */
export const ALL_KEYSET = "{\"keys\":[{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"RAZ-gp0eQW_G1oxc0rgMC0M8kozD5Ad2KWS59_70Rv4\",\"alg\":\"RS256\",\"n\":\"2QVtM39m5EANEgYWl7JEEGfBROizmLdKXGI7UDzCswy9swSs_EKfkToVfSeIYK4dEo8b0DN2ouKkwAh5fdHnmZNEfhvd8Lcjluw57I6HaOFyzd6FMHWmH8IW8t6kGvqRM9z48Gc6U-WdOeCmJI1qdUlhmk9e8tYzZ7O6-Y-_WQNz34n1yj74dTYq1kj8AagT5cwQMsILQy95KGTh0lGhRaz5vFF2VBgGYn7ADtujZQPQ_CiZG7v7G_kXnE75TpgLEmFPRBVhnNGT2YN-Mi8o-7UoMn8zwHY8yqcRByKjSEpWeECE9Lw8UMH4WCg03ku1M_aWoSaf0WKfUZzBRx992w\",\"e\":\"AQAB\"},{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"S2QX6i6rtyz9oDi0aQuslCTOCLK4DEOtHuUXpp0vCA4\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"AFfkRR_aHZ1jUrKGG0EAWBP36yiQaV6UHh5UCg6icRg\",\"y\":\"W-Pw6gUJ7P-4a7Y59B-NMnK-DKLWpaz4FRz6O8d3ngc\"},{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"o4eK_aTk-uh1ttJIQvvGVSUTYU2DTc9pj_lkD5IIvJY\",\"crv\":\"P-384\",\"alg\":\"ES384\",\"x\":\"4KsY5vDZxT8EEsWXq6EU3vCm0UA8UfrwwwmemzSpcVftUF-fEj0wNyjXg18kplA7\",\"y\":\"xV3QO2wrLfRKNNcXe2ZntSRTur8Hkv2txuk-riHBSL5S0ORfTC2kCNmFJFN6glgx\"},{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"bd7FeiUGTELa6wurLLR_iH_o6LZ_GlqrMDT296EaAb0\",\"crv\":\"P-521\",\"alg\":\"ES512\",\"x\":\"AYsRQHJyiONV1l2jukk1MegBYL8QPqTUeZXH9UEuqatCOQ0UvO3xkgH78ADznOEJhS5vkFw3IJkX5Y4GTfKtNvfW\",\"y\":\"AFw4jObStfVZMR4CKKLz5w9biKHmz2X-QcDFt949zJxuya74q4HgSo5G4eb7SD5DMLxSQb268vShSz5b0NWek9ZC\"},{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"nQYHc6sEQFKVePLjA0wFWZ69Ew5a4w19880Gy5_l8qE\",\"alg\":\"RS256\",\"n\":\"vdB7lhqM_6nnpqGA4lxKY_uEaCwVp9bbZ9-zHNO2IHykHIsq1Qhps-ZZNQ9nWOPg_l-OhwHZ_67Xku_VkLqOP-VxTDGAzqA7FcppAR3oqjsIve2rsaFknWWQO7EhQrviRtiBqh2-yEw-jU83R5x9cAEEd_1gnmUTB_VMyFNruHs\",\"e\":\"Aw\"},{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"RAZ-gp0eQW_G1oxc0rgMC0M8kozD5Ad2KWS59_70Rv4\",\"alg\":\"RS256\",\"n\":\"2QVtM39m5EANEgYWl7JEEGfBROizmLdKXGI7UDzCswy9swSs_EKfkToVfSeIYK4dEo8b0DN2ouKkwAh5fdHnmZNEfhvd8Lcjluw57I6HaOFyzd6FMHWmH8IW8t6kGvqRM9z48Gc6U-WdOeCmJI1qdUlhmk9e8tYzZ7O6-Y-_WQNz34n1yj74dTYq1kj8AagT5cwQMsILQy95KGTh0lGhRaz5vFF2VBgGYn7ADtujZQPQ_CiZG7v7G_kXnE75TpgLEmFPRBVhnNGT2YN-Mi8o-7UoMn8zwHY8yqcRByKjSEpWeECE9Lw8UMH4WCg03ku1M_aWoSaf0WKfUZzBRx992w\",\"e\":\"AQAB\"}]}";

/** GetConfigJSON for the keys in ALL_ORDER: the algorithms are a sorted set. */
export const ALL_CONFIG = "{\"issuer\":\"https://kubernetes.default.svc.cluster.local\",\"jwks_uri\":\"https://127.0.0.1:6443/openid/v1/jwks\",\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"ES256\",\"ES384\",\"ES512\",\"RS256\"]}";

/** GetConfigJSON for issuer https://a/<&> and external address [::1]:6443: Go's JSON escapes <, & and >. */
export const ESCAPED_CONFIG = "{\"issuer\":\"https://a/\\u003c\\u0026\\u003e\",\"jwks_uri\":\"https://[::1]:6443/openid/v1/jwks\",\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}";

/** NewOpenIDMetadataProvider's answer per issuer (with the RSA key, external address 127.0.0.1:6443): "OK" or its error. */
export const ISSUER_ANSWERS: Readonly<Record<string, string>> = {
  "": "empty issuer URL",
  ":foo": "parse \":foo\": missing protocol scheme",
  "HTTPS://a": "OK",
  "http://a": "issuer URL must use https scheme, got: http://a",
  "https://[::1": "parse \"https://[::1\": missing ']' in host",
  "https://a\u0001": "parse \"https://a\\x01\": net/url: invalid control character in URL",
  "https://a b": "parse \"https://a b\": invalid character \" \" in host name",
  "https://a#": "OK",
  "https://a#f": "issuer URL may not include a fragment, got: https://a#f",
  "https://a/%zz": "parse \"https://a/%zz\": invalid URL escape \"%zz\"",
  "https://a/<&>": "OK",
  "https://a:port": "parse \"https://a:port\": invalid port \":port\" after host",
  "https://a?": "OK",
  "https://a?x=1": "issuer URL may not include a query, got: https://a?x=1",
  "kubernetes/serviceaccount": "issuer URL must use https scheme, got: kubernetes/serviceaccount",
};

/** NewOpenIDMetadataProvider's answer per --service-account-jwks-uri (issuer https://a, no external address). */
export const JWKS_URI_ANSWERS: Readonly<Record<string, string>> = {
  "http://x/jwks": "jwksURI requires https scheme, parsed as: http://x/jwks",
  "https://x/jwks": "OK",
  "x/jwks": "jwksURI requires https scheme, parsed as: x/jwks",
  '': "either the JWKS URI or the default external address, or both, must be set",
};
