"""Examples for the main operations, copied from the contract's own examples (S2Cart-API.md, "Request Example"
and "Response Example") instead of a generator's filler. Where the contract elides a part ("// Full order
object", "// User object") the contract's data model of that name fills it; a test validates every example
against the operation's schema, so an example cannot drift from the document. Litestar leaves null values out
of the document; these examples keep theirs (openapi_document.ContractExample), so a new cart's
``applied_coupon`` shows as the contract's ``null``."""

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
ADDRESS = {
    "id": 1,
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "street_address_2": "Apartment 4B",
    "landmark": "Near Central Mall",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "country": "India",
    "phone_number": "+91987654321",
    "address_type": "HOME",
    "latitude": 19.0760,
    "longitude": 72.8777,
    "is_default": True,
    "is_verified": False,
    "full_address": "123 Main Street, Apartment 4B, Near Central Mall, Mumbai, Maharashtra 400001, India",
    "created_at": "2025-01-01T00:00:00Z",
    "updated_at": "2025-01-20T10:30:00Z",
}
HEADPHONES = {
    "id": 1,
    "product_id": "prod_001",
    "product_name": "Wireless Headphones",
    "product_image_url": "https://domain.com/media/products/headphones.jpg",
    "product_variant": None,
    "quantity": 2,
    "unit_price": 500.00,
    "total_price": 1000.00,
}
CART = {  # "List User Carts"
    "id": 1,
    "store_id": "store_123",
    "store_name": "SuperMart",
    "total_price": 1250.50,
    "item_count": 3,
    "applied_coupon": None,
    "coupon_discount": 0,
    "updated_at": "2025-01-20T10:30:00Z",
    "items": [{**HEADPHONES, "added_at": "2025-01-20T09:00:00Z"}],
}
# "Create Order"'s answer, the rest from the Order model (its numbers: 1000 + 180 GST + 50 - 100 = 1130).
ORDER = {
    "id": 1,
    "order_number": "ORD-20250120-5678",
    "status": "PLACED",
    "order_date": "2025-01-20T10:30:00Z",
    "subtotal": 1000.00,
    "tax_amount": 180.00,
    "shipping_cost": 50.00,
    "discount_amount": 100.00,
    "total_amount": 1130.00,
    "coupon_code": "SAVE10",
    "tracking_number": None,
    "carrier_name": None,
    "estimated_delivery_date": "2025-01-25T18:00:00Z",
    "actual_delivery_date": None,
    "shipping_address_details": ADDRESS,
    "delivery_instructions": "Ring doorbell twice",
    "preferred_delivery_time": "EVENING",
    "cancellation_reason": None,
    "cancelled_at": None,
    "paid_at": None,
    "items": [HEADPHONES],
    "payments": [],
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
        (
            200,
            {
                "status": "success",
                "code": 200,
                "message": "Login successful",
                "data": {
                    "access": "eyJ0eXAiOiJKV1QiLCJhbGc...",
                    "refresh": "eyJ0eXAiOiJKV1QiLCJhbGc...",
                    "user": USER,
                    "device_type": "ANDROID",
                    "device_id": "android_device_12345",
                },
            },
        ),
    ),
    "listCarts": (None, (200, {"status": "success", "code": 200, "message": "Found 2 carts", "data": [CART]})),
    "createCart": (
        {"store_id": "store_456", "store_name": "TechMart"},
        (
            201,
            {
                "status": "success",
                "code": 201,
                "message": "Cart created successfully",
                "data": {
                    "id": 2,
                    "store_id": "store_456",
                    "store_name": "TechMart",
                    "total_price": 0,
                    "item_count": 0,
                    "applied_coupon": None,  # the Cart model's fields the answer's example leaves out
                    "coupon_discount": 0,
                    "updated_at": "2025-01-20T10:30:00Z",
                    "items": [],
                },
            },
        ),
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
        (201, {"status": "success", "code": 201, "message": "Order created successfully", "data": ORDER}),
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
