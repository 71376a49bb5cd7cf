/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type ParcelwiseFeedbackProductsQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
  locale: AdminTypes.Scalars['String']['input'];
  translate: AdminTypes.Scalars['Boolean']['input'];
}>;


export type ParcelwiseFeedbackProductsQuery = { shop: { primaryDomain: Pick<AdminTypes.Domain, 'url'> }, nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.Product, 'id' | 'handle' | 'title' | 'onlineStoreUrl'>
    & { featuredMedia?: AdminTypes.Maybe<{ preview?: AdminTypes.Maybe<{ image?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url'>> }> }>, translations?: Array<Pick<AdminTypes.Translation, 'key' | 'value'>> }
  )>> };

export type ParcelwiseHistoryExportMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type ParcelwiseHistoryExportMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type ParcelwiseHistoryExportStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type ParcelwiseHistoryExportStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url' | 'partialDataUrl'>> };

export type ParcelwiseOrderQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type ParcelwiseOrderQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name' | 'email' | 'customerLocale' | 'currencyCode' | 'displayFinancialStatus' | 'cancelledAt' | 'processedAt' | 'createdAt' | 'updatedAt'>
    & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'firstName' | 'lastName' | 'email'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'name' | 'address1' | 'address2' | 'city' | 'provinceCode' | 'zip' | 'countryCodeV2'>>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
  )> };

export type ParcelwiseShopQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ParcelwiseShopQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'email' | 'contactEmail' | 'currencyCode' | 'ianaTimezone'>
    & { billingAddress: Pick<AdminTypes.ShopAddress, 'countryCodeV2'> }
  ), shopLocales: Array<Pick<AdminTypes.ShopLocale, 'locale' | 'primary'>> };

export type ParcelwiseOrderCustomerQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type ParcelwiseOrderCustomerQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>> }
  )> };

interface GeneratedQueryTypes {
  "#graphql\n  query ParcelwiseFeedbackProducts($ids: [ID!]!, $locale: String!, $translate: Boolean!) {\n    shop { primaryDomain { url } }\n    nodes(ids: $ids) {\n      ... on Product {\n        id handle title onlineStoreUrl\n        featuredMedia { preview { image { url(transform: { maxWidth: 600, maxHeight: 600 }) } } }\n        translations(locale: $locale) @include(if: $translate) { key value }\n      }\n    }\n  }": {return: ParcelwiseFeedbackProductsQuery, variables: ParcelwiseFeedbackProductsQueryVariables},
  "#graphql\n  query ParcelwiseHistoryExportStatus($id: ID!) {\n    bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }\n  }": {return: ParcelwiseHistoryExportStatusQuery, variables: ParcelwiseHistoryExportStatusQueryVariables},
  "#graphql\n  query ParcelwiseOrder($id: ID!) {\n    order(id: $id) {\n      id name email customerLocale currencyCode displayFinancialStatus cancelledAt processedAt createdAt updatedAt\n      customer { firstName lastName email }\n      shippingAddress { firstName lastName name address1 address2 city provinceCode zip countryCodeV2 }\n      totalPriceSet { shopMoney { amount } }\n    }\n  }": {return: ParcelwiseOrderQuery, variables: ParcelwiseOrderQueryVariables},
  "#graphql\n  query ParcelwiseShop {\n    shop { name email contactEmail currencyCode ianaTimezone billingAddress { countryCodeV2 } }\n    shopLocales(published: true) { locale primary }\n  }": {return: ParcelwiseShopQuery, variables: ParcelwiseShopQueryVariables},
  "#graphql\n  query ParcelwiseOrderCustomer($id: ID!) {\n    order(id: $id) {\n      id\n      customer { id }\n    }\n  }": {return: ParcelwiseOrderCustomerQuery, variables: ParcelwiseOrderCustomerQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation ParcelwiseHistoryExport($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }": {return: ParcelwiseHistoryExportMutation, variables: ParcelwiseHistoryExportMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
