-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "contactEmail" TEXT,
    "primaryLocale" TEXT NOT NULL DEFAULT 'en',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "sendingBlockedReason" TEXT,
    "handlingEnabled" BOOLEAN NOT NULL DEFAULT true,
    "handlingDelayMinutes" INTEGER NOT NULL DEFAULT 10,
    "handlingHours" INTEGER NOT NULL DEFAULT 48,
    "onlineTrackingDays" INTEGER NOT NULL DEFAULT 3,
    "shippingEnabled" BOOLEAN NOT NULL DEFAULT true,
    "feedbackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "feedbackDelayDays" INTEGER NOT NULL DEFAULT 7,
    "feedbackFallbackDays" INTEGER NOT NULL DEFAULT 5,
    "delayGraceDays" INTEGER NOT NULL DEFAULT 3,
    "silenceDays" INTEGER NOT NULL DEFAULT 7,
    "senderEmail" TEXT,
    "senderName" TEXT,
    "reviewUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "buyerName" TEXT,
    "shippingAddress" TEXT,
    "locale" TEXT,
    "destinationCountry" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "totalPrice" TEXT NOT NULL DEFAULT '0.00',
    "financialStatus" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "redactedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shipment" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "name" TEXT,
    "status" TEXT NOT NULL,
    "shipmentStatus" TEXT,
    "trackingCompany" TEXT,
    "carrierCode" TEXT,
    "carrierName" TEXT,
    "trackingNumbers" TEXT NOT NULL DEFAULT '[]',
    "trackingUrls" TEXT NOT NULL DEFAULT '[]',
    "destinationCountry" TEXT,
    "shippedAt" TIMESTAMP(3),
    "estimatedDeliveryFrom" TIMESTAMP(3),
    "estimatedDeliveryTo" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "lastEventAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "fulfillmentShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "city" TEXT,
    "country" TEXT,
    "estimatedDeliveryAt" TIMESTAMP(3),
    "happenedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookReceipt" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "planKey" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "shipmentShopifyId" TEXT,
    "trackingNumber" TEXT,
    "locale" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "subject" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Template" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customerEmail" TEXT,
    "customerId" TEXT,
    "orderIds" TEXT NOT NULL DEFAULT '[]',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "ComplianceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Order_shop_email_idx" ON "Order"("shop", "email");

-- CreateIndex
CREATE INDEX "Order_shop_createdAt_idx" ON "Order"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_shopifyId_key" ON "Order"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Shipment_shop_orderShopifyId_idx" ON "Shipment"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "Shipment_shop_status_shipmentStatus_idx" ON "Shipment"("shop", "status", "shipmentStatus");

-- CreateIndex
CREATE INDEX "Shipment_shop_createdAt_idx" ON "Shipment"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_shop_shopifyId_key" ON "Shipment"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "TrackingEvent_shop_fulfillmentShopifyId_happenedAt_idx" ON "TrackingEvent"("shop", "fulfillmentShopifyId", "happenedAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrackingEvent_shop_shopifyId_key" ON "TrackingEvent"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "WebhookReceipt_status_availableAt_idx" ON "WebhookReceipt"("status", "availableAt");

-- CreateIndex
CREATE INDEX "WebhookReceipt_receivedAt_idx" ON "WebhookReceipt"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookReceipt_shop_webhookId_key" ON "WebhookReceipt"("shop", "webhookId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookReceipt_shop_topic_eventId_key" ON "WebhookReceipt"("shop", "topic", "eventId");

-- CreateIndex
CREATE INDEX "Notification_status_scheduledFor_idx" ON "Notification"("status", "scheduledFor");

-- CreateIndex
CREATE INDEX "Notification_shop_status_scheduledFor_idx" ON "Notification"("shop", "status", "scheduledFor");

-- CreateIndex
CREATE INDEX "Notification_shop_orderShopifyId_idx" ON "Notification"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "Notification_shop_createdAt_idx" ON "Notification"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_providerMessageId_idx" ON "Notification"("providerMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_shop_planKey_key" ON "Notification"("shop", "planKey");

-- CreateIndex
CREATE UNIQUE INDEX "Template_shop_kind_locale_key" ON "Template"("shop", "kind", "locale");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_receivedAt_idx" ON "ComplianceRequest"("shop", "receivedAt");
