"""The protocol note's test vectors (docs/payment-gateways.md, sections 2.5 and 3.5), verbatim."""

from __future__ import annotations

PAYTM_KEY = "S2CartTestKey#01"
PAYTM_MID = "S2CTEST0000000000001"
PAYTM_ORDER = "ORD_PAYTM_42_1700000000"

V1_PARAMS = {"MID": PAYTM_MID, "ORDERID": PAYTM_ORDER}
V1_STRING = "S2CTEST0000000000001|ORD_PAYTM_42_1700000000"
V1_SALT = "AbCd"
V1_SHA256 = "1890b0013ac8553151e1e922eefe463b7ee644ceb765dbe82631d11e432faabe"
V1_CHECKSUM = (
    "DEBs3ARHRwqUS7G+V2oMLUHAb4ilMbHkckhLCjwYb7yABzqQYU3M3wxHBXJcgirYQVg8TfjoPGCQgOiL/5LBmMmIZJ2kpWpyBdahxy7y3v4="
)

V2_PARAMS = {
    "BANKNAME": "",
    "BANKTXNID": "777001234567890",
    "CURRENCY": "INR",
    "GATEWAYNAME": "HDFC",
    "MID": PAYTM_MID,
    "ORDERID": PAYTM_ORDER,
    "PAYMENTMODE": "UPI",
    "RESPCODE": "01",
    "RESPMSG": "Txn Success",
    "STATUS": "TXN_SUCCESS",
    "TXNAMOUNT": "499.00",
    "TXNDATE": "2024-01-15 10:30:00.0",
    "TXNID": "20240115111212800110168000000000001",
}
V2_STRING = (
    "|777001234567890|INR|HDFC|S2CTEST0000000000001|ORD_PAYTM_42_1700000000|UPI|01|Txn Success|TXN_SUCCESS"
    "|499.00|2024-01-15 10:30:00.0|20240115111212800110168000000000001"
)
V2_SALT = "k9Zq"
V2_SHA256 = "bc38d1d09cfbd9b443cd416c4097fff0b08ae867e9aa2c293e5404da07c52eb8"
V2_CHECKSUM = (
    "UyCOtdnhY5jUkjGZe/gQRrmMzF7xdnggZhPkzR6GpZELjrZrrcvGmzlapOdFKR+xbCUK3Ai+p2m8nz0VVDdz8jl87y/cSYzrrGC6ESHC8ek="
)

V3_STRING = (
    '{"requestType":"Payment","mid":"S2CTEST0000000000001","websiteName":"WEBSTAGING",'
    '"orderId":"ORD_PAYTM_42_1700000000","callbackUrl":"http://127.0.0.1:8000/api/payments/paytm/callback",'
    '"txnAmount":{"value":"499.00","currency":"INR"},"userInfo":{"custId":"CUST_42"}}'
)
V3_SALT = "x7Q2"
V3_SHA256 = "b49041261bc35e4563419d1a5f0d73bedfc1a857330fa2811983c87bfc1eb49e"
V3_CHECKSUM = (
    "0FalenOoSHxbKIuu2V/w3/YM9bK6cmPUAAMqr2z6Boh4YH713eG3CLNyXXZBF1qv98Xk+HxikH5p7yLnqImxzRxVqUzLO8omFJJWqkK400I="
)
V3_CALLBACK_URL = "http://127.0.0.1:8000/api/payments/paytm/callback"

V4_STRING = '{"mid":"S2CTEST0000000000001","orderId":"ORD_PAYTM_42_1700000000"}'
V4_SALT = "0000"
V4_SHA256 = "636f19b7f841610f42ab540978ff82c6a02c1c62603f1a0aff975092e62fe528"
V4_CHECKSUM = (
    "vB2Tn6zjLrAxb2KVLMEjkcjVyz0RUU6piF4VP1qa2Pau5OYKXqj2/tgtmFdTM3Ttm5GN70dkB2GY4NyRKGPDj835WQFqzWNaQ4cfprDprzU="
)

PAYTM_VECTORS = [
    (V1_STRING, V1_SALT, V1_SHA256, V1_CHECKSUM),
    (V2_STRING, V2_SALT, V2_SHA256, V2_CHECKSUM),
    (V3_STRING, V3_SALT, V3_SHA256, V3_CHECKSUM),
    (V4_STRING, V4_SALT, V4_SHA256, V4_CHECKSUM),
]

PHONEPE_MERCHANT_ID = "PGTESTPAYUAT"
PHONEPE_SALT_KEY = "099eb0cd-02cf-4e2a-8aca-3e6c6aff0399"
PHONEPE_SALT_INDEX = 1

P1_BASE64 = (
    "ewogICJtZXJjaGFudElkIjogIlBHVEVTVFBBWVVBVCIsCiAgIm1lcmNoYW50VHJhbnNhY3Rpb25JZCI6ICJNVDc4NTA1OTAwNjgxODgxMDQi"
    "LAogICJtZXJjaGFudFVzZXJJZCI6ICJNVUlEMTIzIiwKICAiYW1vdW50IjogMTAwMDAsCiAgInJlZGlyZWN0VXJsIjogImh0dHBzOi8vd2Vi"
    "aG9vay5zaXRlL3JlZGlyZWN0LXVybCIsCiAgInJlZGlyZWN0TW9kZSI6ICJSRURJUkVDVCIsCiAgImNhbGxiYWNrVXJsIjogImh0dHBzOi8v"
    "d2ViaG9vay5zaXRlL2NhbGxiYWNrLXVybCIsCiAgIm1vYmlsZU51bWJlciI6ICI5OTk5OTk5OTk5IiwKICAicGF5bWVudEluc3RydW1lbnQi"
    "OiB7CiAgICAidHlwZSI6ICJQQVlfUEFHRSIKICB9Cn0="
)
P1_X_VERIFY = "d7a8e4458caa6fcd781166bbdc85fec76740c18cb9baa9a4c48cf2387d554180###1"

P2_JSON = (
    '{"merchantId":"PGTESTPAYUAT","merchantTransactionId":"TXN_42_1700000000","merchantUserId":"USER_7",'
    '"amount":49900,"redirectUrl":"http://127.0.0.1:8000/api/payments/phonepe/redirect","redirectMode":"POST",'
    '"callbackUrl":"http://127.0.0.1:8000/api/payments/phonepe/callback","paymentInstrument":{"type":"PAY_PAGE"}}'
)
P2_BASE64 = (
    "eyJtZXJjaGFudElkIjoiUEdURVNUUEFZVUFUIiwibWVyY2hhbnRUcmFuc2FjdGlvbklkIjoiVFhOXzQyXzE3MDAwMDAwMDAiLCJtZXJjaGFu"
    "dFVzZXJJZCI6IlVTRVJfNyIsImFtb3VudCI6NDk5MDAsInJlZGlyZWN0VXJsIjoiaHR0cDovLzEyNy4wLjAuMTo4MDAwL2FwaS9wYXltZW50"
    "cy9waG9uZXBlL3JlZGlyZWN0IiwicmVkaXJlY3RNb2RlIjoiUE9TVCIsImNhbGxiYWNrVXJsIjoiaHR0cDovLzEyNy4wLjAuMTo4MDAwL2Fw"
    "aS9wYXltZW50cy9waG9uZXBlL2NhbGxiYWNrIiwicGF5bWVudEluc3RydW1lbnQiOnsidHlwZSI6IlBBWV9QQUdFIn19"
)
P2_X_VERIFY = "5a6820136444e82fa640ee1599e5d24a71c6ee4f6502611f0e7c3f02bfb327cb###1"
P2_TXN = "TXN_42_1700000000"
P2_REDIRECT_URL = "http://127.0.0.1:8000/api/payments/phonepe/redirect"
P2_CALLBACK_URL = "http://127.0.0.1:8000/api/payments/phonepe/callback"

P3_PATH = "/pg/v1/status/PGTESTPAYUAT/TXN_42_1700000000"
P3_HASHED = "/pg/v1/status/PGTESTPAYUAT/TXN_42_1700000000099eb0cd-02cf-4e2a-8aca-3e6c6aff0399"
P3_X_VERIFY = "a5d0acc6308b819aa18bb7c59c71f08f2c9f0724833285461189ebcfa6c750cd###1"

P4_JSON = (
    '{"success":true,"code":"PAYMENT_SUCCESS","message":"Your request has been successfully completed.",'
    '"data":{"merchantId":"PGTESTPAYUAT","merchantTransactionId":"TXN_42_1700000000",'
    '"transactionId":"T2401151030001234567890","amount":49900,"state":"COMPLETED","responseCode":"SUCCESS",'
    '"paymentInstrument":{"type":"UPI","utr":"401512345678"}}}'
)
P4_RESPONSE = (
    "eyJzdWNjZXNzIjp0cnVlLCJjb2RlIjoiUEFZTUVOVF9TVUNDRVNTIiwibWVzc2FnZSI6IllvdXIgcmVxdWVzdCBoYXMgYmVlbiBzdWNjZXNz"
    "ZnVsbHkgY29tcGxldGVkLiIsImRhdGEiOnsibWVyY2hhbnRJZCI6IlBHVEVTVFBBWVVBVCIsIm1lcmNoYW50VHJhbnNhY3Rpb25JZCI6IlRY"
    "Tl80Ml8xNzAwMDAwMDAwIiwidHJhbnNhY3Rpb25JZCI6IlQyNDAxMTUxMDMwMDAxMjM0NTY3ODkwIiwiYW1vdW50Ijo0OTkwMCwic3RhdGUi"
    "OiJDT01QTEVURUQiLCJyZXNwb25zZUNvZGUiOiJTVUNDRVNTIiwicGF5bWVudEluc3RydW1lbnQiOnsidHlwZSI6IlVQSSIsInV0ciI6IjQw"
    "MTUxMjM0NTY3OCJ9fX0="
)
P4_X_VERIFY = "67844711f8ceece8fc099a3a5e72f44b3a3bb94f2843e40ed42eac48262cb8f0###1"

# PhonePe Standard Checkout v2 (docs/payments-phonepe-v2.md). PhonePe's Python SDK tests authenticate webhooks
# for username "username" / password "password" with exactly this header value.
PHONEPE_V2_WEBHOOK_VECTOR = ("username", "password", "bc842c31a9e54efe320d30d948be61291f3ceee4766e36ab25fa65243cd76e0e")
PHONEPE_V2_CLIENT_ID = "S2CTESTV2CLIENT"
PHONEPE_V2_CLIENT_SECRET = "v2-client-secret-never-logged-7f3a"
PHONEPE_V2_CLIENT_VERSION = "1"
PHONEPE_V2_WEBHOOK_USERNAME = "s2cart_hooks"
PHONEPE_V2_WEBHOOK_PASSWORD = "hookpass2026x"
