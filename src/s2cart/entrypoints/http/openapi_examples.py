"""Examples for the main operations, copied from the contract's own examples (S2Cart-API.md, "Request Example"
and "Response Example") instead of a generator's filler. Where the contract elides a part ("// Full order
object", "// User object") the contract's data model of that name fills it; a test validates every example
against the operation's schema, so an example cannot drift from the document. Litestar leaves null values out
of the document (examples included), so an answer whose contract example needs a null (a new cart's
``applied_coupon``) is shown by its schema alone."""

from __future__ import annotations

from typing import Any

USER = {
    "id": 1,
    "username": "johndoe123",
    "email": "john.doe@example.com",
    "first_name": "John",
    "last_name": "Doe",
    "phone_number": "+919876543210",
    "profile_image": "https://domain.com/media/profile/image.jpg",
    "date_of_birth": "1990-01-01",
    "gender": "MALE",
    "preferred_language": "EN",
    "email_notifications": True,
    "sms_notifications": True,
    "push_notifications": True,
    "is_verified": False,
    "date_joined": "2025-01-20T10:30:00Z",
    "last_login": "2025-01-20T10:30:00Z",
}
# operationId -> (request body example or None, (status, response body example) or None)
EXAMPLES: dict[str, tuple[dict[str, Any] | None, tuple[int, dict[str, Any]] | None]] = {
    "register": (
        {
            "username": "johndoe123",
            "email": "john.doe@example.com",
            "password": "SecurePassword123!",
            "first_name": "John",
            "last_name": "Doe",
            "phone_number": "+919876543210",
        },
        (
            201,
            {
                "status": "success",
                "code": 201,
                "message": "User registered successfully. Check your email for verification code or link.",
                "data": {
                    "user": USER,
                    "token": "abc123def456...",
                    "expires_at": "2025-02-19T10:30:00Z",
                    "message": "User registered successfully. Check your email for verification code or link.",
                    "verification_method": "Both OTP and Token available",
                    "otp_expires_in": "25 minutes",
                    "email_sent": True,
                },
            },
        ),
    ),
    "signInJwt": (
        {
            "email": "john.doe@example.com",
            "password": "SecurePassword123!",
            "device_type": "ANDROID",
            "device_id": "android_device_12345",
        },
        None,
    ),
    "createCart": (
        {"store_id": "store_456", "store_name": "TechMart"},
        None,
    ),
    "addCartItem": (
        {
            "store_id": "store_123",
            "product_id": "prod_002",
            "product_name": "Bluetooth Speaker",
            "product_image_url": "https://domain.com/media/products/speaker.jpg",
            "quantity": 1,
            "unit_price": 750.00,
            "product_variant": {"color": "Black", "size": "Medium"},
        },
        (
            201,
            {
                "status": "success",
                "code": 201,
                "message": "Item added to cart",
                "data": {
                    "id": 2,
                    "product_id": "prod_002",
                    "product_name": "Bluetooth Speaker",
                    "product_image_url": "https://domain.com/media/products/speaker.jpg",
                    "product_variant": {"color": "Black", "size": "Medium"},
                    "quantity": 1,
                    "unit_price": 750.00,
                    "total_price": 750.00,
                    "added_at": "2025-01-20T11:00:00Z",
                },
            },
        ),
    ),
    "placeOrder": (
        {
            "cart_id": 1,
            "shipping_address_id": 1,
            "delivery_instructions": "Ring doorbell twice",
            "preferred_delivery_time": "EVENING",
            "coupon_code": "SAVE10",
        },
        None,
    ),
    "initiatePayment": (
        {"order_id": 1, "payment_method": "PAYTM"},
        (
            201,
            {
                "status": "success",
                "code": 201,
                "message": "Payment initiated successfully",
                "data": {
                    "payment_id": 1,
                    "transaction_id": "TXN_PAYTM_1_123456789",
                    "order_id": 1,
                    "amount": "1130.00",
                    "currency": "INR",
                    "payment_method": "PAYTM",
                    "payment_data": {
                        "order_id": "ORD_PAYTM_1_123456789",
                        "token": "payment_token_here",
                        "mid": "MERCHANT_ID",
                        "amount": "1130.00",
                        "callback_url": "https://domain.com/api/auth/payments/paytm/callback/",
                        "test_mode": False,
                    },
                    "expires_at": "2025-01-20T11:00:00Z",
                    "callback_required": True,
                },
            },
        ),
    ),
}
