"""The base path and the endpoint groups the API root lists; each area adds its entries as it lands."""

from __future__ import annotations

BASE_PATH = "/api/auth"

ENDPOINT_GROUPS: dict[str, dict[str, str]] = {
    "jwt": {
        "login": f"{BASE_PATH}/jwt/",
        "refresh": f"{BASE_PATH}/jwt/refresh/",
        "verify": f"{BASE_PATH}/jwt/verify/",
        "logout": f"{BASE_PATH}/jwt/logout/",
        "sessions": f"{BASE_PATH}/jwt/sessions/",
    },
    "storefront": {
        "stores": f"{BASE_PATH}/stores/",
        "store": f"{BASE_PATH}/stores/{{store_id}}/",
        "products": f"{BASE_PATH}/products/",
        "product": f"{BASE_PATH}/stores/{{store_id}}/products/{{product_id}}/",
    },
    "carts": {
        "list": f"{BASE_PATH}/carts/",
        "by_store": f"{BASE_PATH}/carts/store/{{store_id}}/",
        "items": f"{BASE_PATH}/cart/items/",
        "item": f"{BASE_PATH}/cart/items/{{item_id}}/",
        "clear": f"{BASE_PATH}/cart/clear/",
        "coupon": f"{BASE_PATH}/carts/store/{{store_id}}/coupon/",
    },
    "orders": {
        "list": f"{BASE_PATH}/orders/",
        "detail": f"{BASE_PATH}/orders/{{order_id}}/",
        "quote": f"{BASE_PATH}/orders/quote/",
    },
    "payments": {
        "initiate": f"{BASE_PATH}/payments/initiate/",
        "status": f"{BASE_PATH}/payments/status/{{order_id}}/",
        "history": f"{BASE_PATH}/payments/history/",
        "retry": f"{BASE_PATH}/payments/history/{{payment_id}}/retry/",
        "paytm_callback": f"{BASE_PATH}/payments/paytm/callback/",
        "phonepe_callback": f"{BASE_PATH}/payments/phonepe/callback/",
    },
    "payment_methods": {
        "cards": f"{BASE_PATH}/payment-methods/cards/",
        "upi": f"{BASE_PATH}/payment-methods/upi/",
    },
    "legacy": {"login": f"{BASE_PATH}/login/", "logout": f"{BASE_PATH}/logout/"},
    "user": {
        "profile": f"{BASE_PATH}/profile/",
        "profile_update": f"{BASE_PATH}/profile/update/",
        "register": f"{BASE_PATH}/register/",
        "verify_otp": f"{BASE_PATH}/verify/otp/",
        "verify_resend": f"{BASE_PATH}/verify/resend/",
        "password_reset_request": f"{BASE_PATH}/password-reset/request/",
        "password_reset_confirm": f"{BASE_PATH}/password-reset/confirm/",
    },
    "addresses": {
        "list": f"{BASE_PATH}/addresses/",
        "default": f"{BASE_PATH}/addresses/default/",
        "detail": f"{BASE_PATH}/addresses/{{address_id}}/",
        "set_default": f"{BASE_PATH}/addresses/set-default/{{address_id}}/",
    },
    "search_history": {
        "list": f"{BASE_PATH}/search-history/",
        "clear": f"{BASE_PATH}/search-history/clear/",
        "group": f"{BASE_PATH}/search-history-group/",
    },
    "support": {
        "tickets": f"{BASE_PATH}/support/tickets/",
        "ticket": f"{BASE_PATH}/support/tickets/{{ticket_id}}/",
        "messages": f"{BASE_PATH}/support/tickets/{{ticket_id}}/messages/",
    },
    "system": {
        "health": f"{BASE_PATH}/health/",
        "docs": "/api/docs",
        "openapi": "/api/docs/openapi.json",
    },
}
