"""The composition root: with adapter_factories.py (its recipes), the only place that names adapters."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from s2cart import __version__
from s2cart.adapters.documents.renderer import FpdfDocumentRenderer
from s2cart.adapters.observability.prometheus import PrometheusMetrics
from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.probe import SqlAlchemyDatabaseProbe
from s2cart.adapters.persistence.readers.addresses import SqlAlchemyAddressReader
from s2cart.adapters.persistence.readers.carts import SqlAlchemyCartReader
from s2cart.adapters.persistence.readers.invoices import SqlAlchemyTaxDocumentReader
from s2cart.adapters.persistence.readers.operations import SqlAlchemyOperatorReader
from s2cart.adapters.persistence.readers.orders import SqlAlchemyOrderReader
from s2cart.adapters.persistence.readers.payment_backlog import SqlAlchemyPaymentBacklogReader
from s2cart.adapters.persistence.readers.payments import SqlAlchemyPaymentMethodReader, SqlAlchemyPaymentReader
from s2cart.adapters.persistence.readers.profile import SqlAlchemyProfileReader
from s2cart.adapters.persistence.readers.search import SqlAlchemySearchHistoryReader
from s2cart.adapters.persistence.readers.storefront import SqlAlchemyStorefrontReader
from s2cart.adapters.persistence.readers.support import SqlAlchemyTicketReader
from s2cart.adapters.persistence.repositories.idempotency import SqlAlchemyIdempotencyStore
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.adapters.security.argon2_hasher import Argon2PasswordHasher
from s2cart.adapters.security.keys import AesGcmSecretBox, HmacDigest, derive_key
from s2cart.adapters.system.clock import SystemClock
from s2cart.application.accounts.codes import CodeIssuer
from s2cart.application.accounts.confirm_password_reset import ConfirmPasswordReset
from s2cart.application.accounts.mails import AccountMails
from s2cart.application.accounts.operator_commands import (
    CleanupSessions,
    FindUser,
    RevokeUserSessions,
    SetUserTier,
    UnlockUser,
)
from s2cart.application.accounts.profile import GetProfile, UpdateProfile
from s2cart.application.accounts.register import Register
from s2cart.application.accounts.request_password_reset import RequestPasswordReset
from s2cart.application.accounts.resend_verification import ResendVerification
from s2cart.application.accounts.verify_email import VerifyEmailByOtp, VerifyEmailByToken
from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.addresses.delete_address import DeleteAddress
from s2cart.application.addresses.queries import GetDefaultAddress, ListAddresses
from s2cart.application.addresses.set_default_address import SetDefaultAddress
from s2cart.application.addresses.update_address import UpdateAddress
from s2cart.application.auth.authenticate import Authenticate
from s2cart.application.auth.logout import Logout
from s2cart.application.auth.refresh_tokens import RefreshTokens
from s2cart.application.auth.session_starter import SessionStarter
from s2cart.application.auth.sessions import EndSession, ListSessions
from s2cart.application.auth.sign_in import SignIn
from s2cart.application.auth.verify_token import VerifyToken
from s2cart.application.carts.add_item_to_cart import AddItemToCart
from s2cart.application.carts.cart_coupon import ApplyCartCoupon, RemoveCartCoupon
from s2cart.application.carts.clear_carts import ClearCarts
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.queries import GetStoreCart, ListCarts
from s2cart.application.carts.remove_cart_item import RemoveCartItem
from s2cart.application.carts.update_cart_item import UpdateCartItem
from s2cart.application.catalog.browse import GetProduct, GetStore, ListStores, SearchProducts
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.application.conflict_retry import ConflictRetry
from s2cart.application.idempotency import Idempotency
from s2cart.application.invoices.queries import FindTaxDocuments, GetTaxDocument, RenderTaxDocument
from s2cart.application.mail.deliver_outbox import DeliverOutbox, RetryPolicy
from s2cart.application.operations.queries import ListAllOrders, ListAllPayments, ListAllTickets, ListUsers
from s2cart.application.orders.cancel_order import CancelOrder
from s2cart.application.orders.place_order import PlaceOrder
from s2cart.application.orders.queries import GetOrder, ListOrders
from s2cart.application.orders.quote import QuoteOrder
from s2cart.application.orders.set_order_status import SetOrderStatus, ShowOrder
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.measure_backlog import MeasurePaymentBacklog
from s2cart.application.payments.payment_method_queries import ListPaymentMethods
from s2cart.application.payments.queries import GetPaymentStatus, ListPayments
from s2cart.application.payments.reconcile_payments import ReconcilePayments
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.payments.refund_payment import RefundPayment
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.remove_payment_method import RemovePaymentMethod
from s2cart.application.payments.retry_payment import RetryPayment
from s2cart.application.payments.save_card import SaveCard
from s2cart.application.payments.save_upi_id import SaveUpiId
from s2cart.application.payments.set_default_payment_method import SetDefaultPaymentMethod
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.application.ratelimit.table import RateLimitTable
from s2cart.application.search.clear_search_history import ClearSearchHistory
from s2cart.application.search.queries import GetSearchHistoryGroup, ListSearchHistory
from s2cart.application.search.record_search import RecordSearch
from s2cart.application.support.add_ticket_message import AddTicketMessage
from s2cart.application.support.open_ticket import OpenTicket
from s2cart.application.support.queries import GetTicket, ListTickets
from s2cart.application.support.staff_commands import FindTicket, ReplyToTicket, SetTicketStatus
from s2cart.application.system.check_health import CheckHealth
from s2cart.application.system.outbox_backlog import MeasureOutboxBacklog
from s2cart.domain.search.history import SearchHistoryPolicy
from s2cart.domain.sessions.session import SessionPolicy
from s2cart.domain.users.one_time_code import CodePolicy
from s2cart.domain.users.passwords import PasswordPolicy
from s2cart.domain.users.sign_in_throttle import SignInThrottlePolicy
from s2cart.domain.users.user import LockoutPolicy
from s2cart.entrypoints import adapter_factories as make
from s2cart.entrypoints.conflict_retry import retry_conflicts
from s2cart.entrypoints.settings import Settings
from s2cart.entrypoints.wiring import Pool, Wiring, close_pools


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    version = providers.Object(__version__)

    clock = providers.Singleton(SystemClock)

    # Pools are Singletons, not async Resources: an async Resource turns every provider below it into one that
    # returns a Future, costing an await per request. close_resources() closes each Pool that was opened.
    engine = Pool(
        make_engine,
        settings.provided.database_url,
        pool_size=settings.provided.database_pool_size,
        max_overflow=settings.provided.database_max_overflow,
        pre_ping=settings.provided.database_pre_ping,
    )
    redis = Pool(make.redis_client, settings.provided.redis_url)
    rate_limit_redis = Pool(make.rate_limit_redis_client, settings.provided.rate_limit_storage)
    # Advanced by every commit that ends a session or changes a principal; read by the session cache.
    shared_redis = providers.Singleton(make.shared_redis, redis, rate_limit_redis)
    auth_epoch = providers.Singleton(make.auth_epoch, shared_redis)
    reads = Pool(make.reads, engine, settings)  # the readers' pool: AUTOCOMMIT, no ping (decision 0044)
    read_router = Pool(make.replica_router, engine, reads, settings, shared_redis)  # None without replicas (0042)

    session_factory = providers.Singleton(make_session_factory, engine)
    uow = providers.Factory(SqlAlchemyUnitOfWork, session_factory=session_factory, epoch=auth_epoch, marks=read_router)
    # Runs a use case again on a deadlock or serialization failure; build_container wraps every use case given
    # uow= with it (decision 0023). Its counters (retried, by_sqlstate, gave_up) are per process.
    conflict_retry = providers.Singleton(ConflictRetry, settings.provided.database_conflict_retries)

    rate_limiter = Pool(make.rate_limiter, rate_limit_redis)  # its lean script client holds a connection
    rate_limit_table = providers.Singleton(RateLimitTable, multiplier=settings.provided.rate_limit_multiplier)

    database_probe = providers.Singleton(SqlAlchemyDatabaseProbe, engine)
    cache_probe = providers.Singleton(make.cache_probe, shared_redis)

    # Policies
    session_policy = providers.Singleton(
        lambda grace: SessionPolicy(reuse_grace=timedelta(seconds=grace)),
        settings.provided.refresh_reuse_grace_seconds,
    )
    code_policy = providers.Singleton(CodePolicy)
    password_policy = providers.Singleton(PasswordPolicy)
    lockout_policy = providers.Singleton(LockoutPolicy)
    sign_in_throttle_policy = providers.Singleton(
        lambda multiplier: SignInThrottlePolicy().scaled(multiplier), settings.provided.rate_limit_multiplier
    )
    retry_policy = providers.Singleton(RetryPolicy)

    # Security adapters
    hasher = Pool(
        Argon2PasswordHasher,
        time_cost=settings.provided.argon2_time_cost,
        memory_kib=settings.provided.argon2_memory_kib,
        parallelism=settings.provided.argon2_parallelism,
        max_workers=settings.provided.argon2_max_threads,
        thread_nice=settings.provided.argon2_thread_nice,
        release_memory=settings.provided.argon2_release_memory,
    )
    tokens = providers.Singleton(make.token_service, settings, session_policy)
    digest = providers.Singleton(lambda secret: HmacDigest(derive_key(secret, "digest")), settings.provided.jwt_secret)
    secret_box = providers.Singleton(
        lambda secret: AesGcmSecretBox(derive_key(secret, "outbox")), settings.provided.jwt_secret
    )
    mailer = providers.Singleton(make.mailer, settings)
    account_mails = providers.Singleton(AccountMails, public_base_url=settings.provided.public_base_url)

    session_lookup = Pool(  # its shared entries' client holds a connection (decision 0045)
        make.session_lookup, reads, auth_epoch, clock, settings.provided.session_cache_seconds, shared_redis
    )
    profile_reader = providers.Singleton(SqlAlchemyProfileReader, reads)

    # Shared application services
    uow_factory = uow.provider
    session_starter = providers.Singleton(SessionStarter, tokens=tokens, digest=digest, policy=session_policy)
    code_issuer = providers.Singleton(
        CodeIssuer, digest=digest, box=secret_box, mails=account_mails, policy=code_policy
    )

    # Observability: one metrics object a process; payment flows get it as their PaymentMetrics port,
    # gateway clients as the observer of their calls' latency.
    metrics = providers.Singleton(PrometheusMetrics)
    payment_metrics = metrics

    # Use cases
    # One HTTP client per gateway, so connections are pooled per host; httpx loads with the first (decision 0053).
    paytm_http = Pool(make.gateway_client, settings.provided.paytm_base_url, observer=metrics)
    paytm = providers.Singleton(
        make.paytm_gateway,
        paytm_http,
        mid=settings.provided.paytm_mid,
        merchant_key=settings.provided.paytm_merchant_key,
        website=settings.provided.paytm_website,
    )
    phonepe_http = Pool(make.gateway_client, settings.provided.phonepe_base_url, observer=metrics)
    phonepe = providers.Singleton(
        make.phonepe_gateway,
        phonepe_http,
        merchant_id=settings.provided.phonepe_merchant_id,
        salt_key=settings.provided.phonepe_salt_key,
        salt_index=settings.provided.phonepe_salt_index,
    )
    # Standard Checkout v2, used instead of v1 when S2CART_PHONEPE_CLIENT_ID is set (build_container).
    phonepe_v2 = providers.Singleton(
        make.phonepe_v2_gateway,
        phonepe_http,
        client_id=settings.provided.phonepe_client_id,
        client_secret=settings.provided.phonepe_client_secret,
        client_version=settings.provided.phonepe_client_version,
        webhook_username=settings.provided.phonepe_webhook_username,
        webhook_password=settings.provided.phonepe_webhook_password,
        token_url=settings.provided.phonepe_token_endpoint,
        merchant_id=settings.provided.phonepe_merchant_id,
        clock=clock,
    )
    # Keyed by the contract's payment_method; build_container adds only the gateways with credentials.
    payment_gateways = providers.Dict()

    gateway_deadline = providers.Singleton(
        lambda seconds: GatewayDeadline(seconds or None), settings.provided.gateway_deadline_seconds
    )

    # Use cases: each argument is the provider of the same name given to Wiring (wiring.py); the arguments
    # that differ per use case are named at the call.
    uses = Wiring(
        uow=uow_factory,
        clock=clock,
        hasher=hasher,
        digest=digest,
        tokens=tokens,
        mailer=mailer,
        passwords=password_policy,
        lockout=lockout_policy,
        throttle=sign_in_throttle_policy,
        metrics=payment_metrics,
        deadline=gateway_deadline,
    )
    check_health = uses(CheckHealth, database=database_probe, cache=cache_probe, version=version, replicas=read_router)
    register = uses(Register, sessions=session_starter, codes=code_issuer)
    verify_email_by_token = uses(VerifyEmailByToken)
    verify_email_by_otp = uses(VerifyEmailByOtp, policy=code_policy)
    resend_verification = uses(ResendVerification, codes=code_issuer)
    request_password_reset = uses(RequestPasswordReset, codes=code_issuer)
    confirm_password_reset = uses(ConfirmPasswordReset, codes=code_policy)
    get_profile = uses(GetProfile, reader=profile_reader)
    update_profile = uses(UpdateProfile)
    deliver_outbox = uses(DeliverOutbox, box=secret_box, policy=retry_policy)
    authenticate = uses(Authenticate, sessions=session_lookup)
    sign_in = uses(SignIn, sessions=session_starter)
    refresh_tokens = uses(RefreshTokens, policy=session_policy, rotation=make.refresh_swap(reads, read_router))
    verify_token = uses(VerifyToken, sessions=session_lookup)
    logout = uses(Logout)
    list_sessions = uses(ListSessions)
    end_session = uses(EndSession)

    # Operator commands (CLI)
    find_user = uses(FindUser)
    unlock_user = uses(UnlockUser)
    set_user_tier = uses(SetUserTier)
    revoke_user_sessions = uses(RevokeUserSessions)
    cleanup_sessions = uses(CleanupSessions)
    operator_reader = providers.Singleton(SqlAlchemyOperatorReader, reads)
    list_all_orders = uses(ListAllOrders, reader=operator_reader)
    list_all_tickets = uses(ListAllTickets, reader=operator_reader)
    list_users = uses(ListUsers, reader=operator_reader)
    list_all_payments = uses(ListAllPayments, reader=operator_reader)

    # Catalog and carts. The SQL catalog is a repository of the unit of work (uow.catalog), so it is
    # built there; use cases get the UoW factory (uow.provider), one call one transaction.
    cart_reader = providers.Singleton(SqlAlchemyCartReader, reads, clock)
    list_carts = uses(ListCarts, reader=cart_reader)
    get_store_cart = uses(GetStoreCart, reader=cart_reader)
    create_cart = uses(CreateCart)
    add_item_to_cart = uses(
        AddItemToCart, max_quantity=settings.provided.cart_max_quantity, merge=make.cart_line_merge(reads, read_router)
    )
    update_cart_item = uses(UpdateCartItem, max_quantity=settings.provided.cart_max_quantity)
    remove_cart_item = uses(RemoveCartItem)
    clear_carts = uses(ClearCarts)
    apply_cart_coupon = uses(ApplyCartCoupon)
    remove_cart_coupon = uses(RemoveCartCoupon)
    # Address book, search history, support tickets
    address_reader = providers.Singleton(SqlAlchemyAddressReader, reads)
    search_history_reader = providers.Singleton(SqlAlchemySearchHistoryReader, reads)
    ticket_reader = providers.Singleton(SqlAlchemyTicketReader, reads)
    search_history_policy = providers.Singleton(SearchHistoryPolicy)
    list_addresses = uses(ListAddresses, reader=address_reader)
    get_default_address = uses(GetDefaultAddress, reader=address_reader)
    add_address = uses(AddAddress, max_addresses=settings.provided.max_addresses)
    update_address = uses(UpdateAddress)
    delete_address = uses(DeleteAddress)
    set_default_address = uses(SetDefaultAddress)
    list_search_history = uses(ListSearchHistory, reader=search_history_reader)
    search_history_group = uses(GetSearchHistoryGroup, reader=search_history_reader)
    record_search = uses(RecordSearch, policy=search_history_policy)
    clear_search_history = uses(ClearSearchHistory)
    storefront_reader = providers.Singleton(make.lag_tolerant, SqlAlchemyStorefrontReader, reads, read_router)
    search_cache = providers.Singleton(make.search_cache, storefront_reader, settings, metrics)
    load_catalog = uses(LoadCatalog, listings=search_cache)  # a load in this process clears the search cache
    list_stores = uses(ListStores, reader=storefront_reader)
    get_store = uses(GetStore, reader=storefront_reader)
    get_product = uses(GetProduct, reader=storefront_reader)
    search_products = uses(SearchProducts, reader=search_cache, record_search=record_search)
    list_tickets = uses(ListTickets, reader=ticket_reader)
    get_ticket = uses(GetTicket, reader=ticket_reader)
    open_ticket = uses(OpenTicket)
    add_ticket_message = uses(AddTicketMessage)
    find_ticket = uses(FindTicket)
    reply_to_ticket = uses(ReplyToTicket)
    set_ticket_status = uses(SetTicketStatus)

    # Orders
    pricing_policy = providers.Singleton(make.pricing, settings)
    order_reader = providers.Singleton(make.lag_tolerant, SqlAlchemyOrderReader, reads, read_router)
    idempotency_store = providers.Singleton(SqlAlchemyIdempotencyStore, session_factory)
    idempotency_lease = providers.Callable(timedelta, seconds=settings.provided.idempotency_lease_seconds)
    idempotency = uses(Idempotency, store=idempotency_store, lease=idempotency_lease)
    place_order = uses(PlaceOrder, pricing=pricing_policy, delivery_days=settings.provided.delivery_days)
    quote_order = uses(QuoteOrder, pricing=pricing_policy)
    list_orders = uses(ListOrders, reader=order_reader)
    get_order = uses(GetOrder, reader=order_reader)
    show_order = uses(ShowOrder)
    # Tax invoices and credit notes (decision 0037); issued inside Settlement's and the cancellations' transactions
    tax_document_reader = providers.Singleton(SqlAlchemyTaxDocumentReader, reads)
    get_tax_document = uses(GetTaxDocument, reader=tax_document_reader)
    render_tax_document = uses(
        RenderTaxDocument, reader=tax_document_reader, renderer=providers.Singleton(FpdfDocumentRenderer)
    )
    find_tax_documents = uses(FindTaxDocuments, reader=tax_document_reader)

    # Payments. Gateways is built per use (cheap), so an override of payment_gateways reaches it.
    payment_reader = providers.Singleton(SqlAlchemyPaymentReader, reads)
    payment_history_reader = providers.Singleton(make.lag_tolerant, SqlAlchemyPaymentReader, reads, read_router)
    payment_method_reader = providers.Singleton(SqlAlchemyPaymentMethodReader, reads)
    card_box = providers.Singleton(
        lambda secret: AesGcmSecretBox(derive_key(secret, "payment-methods")), settings.provided.jwt_secret
    )
    gateways = providers.Factory(Gateways, payment_gateways)
    payment_links = providers.Singleton(make.payment_links, settings.provided.public_base_url)
    attempt_starter = uses(AttemptStarter, links=payment_links)
    pays = uses.plus(gateways=gateways, starter=attempt_starter)
    settlement = pays(Settlement)
    refunds = pays(Refunds)
    pays = pays.plus(settlement=settlement, refunds=refunds)
    initiate_payment = pays(InitiatePayment)
    retry_payment = pays(RetryPayment)
    handle_gateway_callback = pays(HandleGatewayCallback)
    get_payment_status = pays(GetPaymentStatus, reader=payment_reader)
    list_payments = pays(ListPayments, reader=payment_history_reader)
    reconcile_payments = pays(ReconcilePayments)
    refund_cancelled_order = pays(RefundCancelledOrder)
    refund_payment = pays(RefundPayment)
    # Both cancellations (the customer's and an operator's) ask for the refund after their commit.
    cancel_order = pays(CancelOrder, refund=refund_cancelled_order)
    set_order_status = pays(SetOrderStatus, refund=refund_cancelled_order)
    save_card = pays(SaveCard, box=card_box)
    save_upi_id = pays(SaveUpiId)
    remove_payment_method = pays(RemovePaymentMethod)
    set_default_payment_method = pays(SetDefaultPaymentMethod)
    list_payment_methods = pays(ListPaymentMethods, reader=payment_method_reader)
    measure_payment_backlog = pays(
        MeasurePaymentBacklog, reader=providers.Singleton(SqlAlchemyPaymentBacklogReader, reads)
    )
    measure_outbox_backlog = pays(MeasureOutboxBacklog)
    del uses, pays


def build_container(settings: Settings) -> Container:
    container = Container(settings=settings)
    retry_conflicts(container)
    if settings.paytm_enabled:
        container.payment_gateways.add_kwargs(PAYTM=container.paytm)
    if settings.phonepe_enabled:
        phonepe = container.phonepe_v2 if settings.phonepe_v2 else container.phonepe
        container.payment_gateways.add_kwargs(PHONEPE=phonepe)
    return container


close_resources = close_pools  # at app shutdown: the pools this process opened, newest first; singletons forgotten
