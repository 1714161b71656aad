// Generated from vi-bff's OpenAPI document by `npm run openapi:types`; do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process answers
         * @description Always 200 while the process serves requests, also while it drains; no dependency is checked. Public.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Liveness: the process answers
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headHealth"];
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: unready while shutting down or while the Vi API rejects vi-bff's credentials
         * @description Whether this replica should get traffic, answered within 2 s, with the state of its dependencies in `checks`. An unreachable Vi API (`upstream: down`) or a failing Redis is reported but stays ready, since the cache keeps serving. Public.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Readiness: unready while shutting down or while the Vi API rejects vi-bff's credentials
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headReadiness"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List datasets (SDK: datasets.list)
         * @description A page of the organisation's datasets, newest first as the Vi API orders them; follow `nextPageToken` for the next page. Served from vi-bff's cache when fresh; revalidate with If-None-Match.
         */
        get: operations["listDatasets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: List datasets (SDK: datasets.list)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headListDatasets"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a dataset (SDK: datasets.get)
         * @description One dataset with its statistics, users and asset statuses. Served from vi-bff's cache when fresh; revalidate with If-None-Match.
         */
        get: operations["getDataset"];
        put?: never;
        post?: never;
        /**
         * Delete a dataset (SDK: datasets.delete); poll the deletion route for progress
         * @description Starts the dataset's deletion in the Vi API and answers 202 with the deletion operation; `Location` is the deletion route to poll. Irreversible. With `If-Match`, deletes only if the dataset's current ETag (read fresh from the Vi API) matches; else 412 and nothing is deleted.
         */
        delete: operations["deleteDataset"];
        options?: never;
        /**
         * Headers only: Get a dataset (SDK: datasets.get)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headDataset"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/deletion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a dataset's deletion status (SDK: datasets.get_deletion_operation)
         * @description The deletion operation of a dataset being (or already) deleted, with its conditions; 404 when there is none.
         */
        get: operations["getDatasetDeletion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Get a dataset's deletion status (SDK: datasets.get_deletion_operation)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headDatasetDeletion"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a dataset's exports (SDK: datasets.list_exports)
         * @description A page of the dataset's exports, each with its derived `status.state`; follow `nextPageToken` for the next page. Served from vi-bff's cache when fresh; revalidate with If-None-Match.
         */
        get: operations["listExports"];
        put?: never;
        /**
         * Create an export (SDK: datasets.create_export); defaults VI_FULL, normalized, no split
         * @description Asks the Vi API to prepare an export of the dataset and answers 202 with it (`status.state: pending`). Poll `Location`, or follow its `/events`, until the state is `ready`; then download `status.downloadUrl.url`. The body is optional: no body means the defaults.
         */
        post: operations["createExport"];
        delete?: never;
        options?: never;
        /**
         * Headers only: List a dataset's exports (SDK: datasets.list_exports)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headListExports"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/exports/{exportId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an export and its derived state (SDK: datasets.get_export)
         * @description One export: `status.state` is `pending`, `ready` (then `status.downloadUrl.url` is its archive route on vi-bff) or `failed`. Served from vi-bff's cache when fresh; revalidate with If-None-Match.
         */
        get: operations["getExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Get an export and its derived state (SDK: datasets.get_export)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headExport"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/asset-deletions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bulk-delete assets matching a filter (SDK: datasets.bulk_delete_assets); poll the session for progress
         * @description Starts a deletion session in the Vi API for the assets that match the filter and queries, and answers 202 with it; `Location` is the session to poll. Irreversible.
         */
        post: operations["bulkDeleteAssets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/asset-deletions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a bulk asset deletion session (SDK: datasets.get_bulk_asset_deletion_session)
         * @description A bulk asset deletion session with its spec and conditions; its `Finished` condition tells when the deletion is done.
         */
        get: operations["getAssetDeletion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Get a bulk asset deletion session (SDK: datasets.get_bulk_asset_deletion_session)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headAssetDeletion"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/exports/{exportId}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream an export's archive; resumable with Range and If-Range
         * @description Streams the zip from storage through vi-bff (the signed URL never reaches the caller). 409 while the export is pending, 422 if it failed. `curl -C -` resumes an interrupted download.
         */
        get: operations["getExportArchive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Stream an export's archive; resumable with Range and If-Range
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headExportArchive"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a dataset in one call (SDK: datasets.download)
         * @description Reuses a ready export with the same settings, or one being prepared, or creates one (needs exports:write; concurrent callers share it), waits up to `wait` seconds, then streams the archive as the export archive route does. Still preparing: 202 with Retry-After and the export's Location.
         */
        get: operations["downloadDataset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Download a dataset in one call (SDK: datasets.download)
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headDownloadDataset"];
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{datasetId}/exports/{exportId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow an export's progress as Server-Sent Events until it is ready or failed
         * @description Each event is named after the export's state (`pending`, `ready`, `failed`) and carries the DatasetExport as JSON; the `ready` event's `status.downloadUrl.url` is the archive route. The stream ends after `ready` or `failed` (or `problem`, if the export cannot be read any more).
         */
        get: operations["getExportEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Follow an export's progress as Server-Sent Events until it is ready or failed
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headExportEvents"];
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is calling: the signed-in user (session cookie) or the bearer caller, with its scopes
         * @description A frontend calls this at start to learn whether the browser is signed in (200) or should offer the sign-in link (401).
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Headers only: Who is calling: the signed-in user (session cookie) or the bearer caller, with its scopes
         * @description The GET's status and headers without a body. Range and If-Range are ignored; nothing is created or changed.
         */
        head: operations["headMe"];
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start signing in: redirects to the identity provider (code flow, PKCE S256, state, nonce)
         * @description Always goes to the provider, even with a valid session. `returnTo` must be a path on vi-bff's origin; anything else returns to `/`.
         */
        get: operations["signIn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The identity provider returns here: checks state, exchanges the code, creates the session, redirects to returnTo
         * @description Registered at the provider as `PUBLIC_URL` + `/auth/callback`. A wrong, replayed or foreign state, a provider error, a missing code or an ID token that fails a check is a 4xx problem and creates no session.
         */
        get: operations["signInCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out: destroys the server-side session on every replica and clears the cookie
         * @description Needs `X-CSRF: 1` when the session cookie is sent. Then send the browser to `endSessionUrl` (when not null) to end the provider's session too.
         */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * Problem
         * @description RFC 9457 problem details
         */
        Problem: {
            /** @description URI reference identifying the problem type */
            type: string;
            title: string;
            status: number;
            detail: string;
            instance: string;
            /**
             * @description Stable machine-readable code, e.g. BFF_DATASET_NOT_FOUND
             * @enum {string}
             */
            code: "BFF_VALIDATION_FAILED" | "BFF_INVALID_JSON" | "BFF_UNAUTHENTICATED" | "BFF_FORBIDDEN" | "BFF_ROUTE_NOT_FOUND" | "BFF_METHOD_NOT_ALLOWED" | "BFF_DATASET_NOT_FOUND" | "BFF_EXPORT_NOT_FOUND" | "BFF_DELETION_NOT_FOUND" | "BFF_ASSET_DELETION_NOT_FOUND" | "BFF_CONFLICT" | "BFF_BODY_TOO_LARGE" | "BFF_UNSUPPORTED_MEDIA_TYPE" | "BFF_UPSTREAM_REJECTED" | "BFF_UPSTREAM_AUTH_FAILED" | "BFF_UPSTREAM_ERROR" | "BFF_UPSTREAM_BAD_RESPONSE" | "BFF_UPSTREAM_RATE_LIMITED" | "BFF_UPSTREAM_UNAVAILABLE" | "BFF_UPSTREAM_TIMEOUT" | "BFF_INTERNAL" | "BFF_EXPORT_NOT_READY" | "BFF_EXPORT_FAILED" | "BFF_RANGE_NOT_SATISFIABLE" | "BFF_ARCHIVE_HOST_REFUSED" | "BFF_STORAGE_ERROR" | "BFF_STORAGE_UNAVAILABLE" | "BFF_STORAGE_TIMEOUT" | "BFF_STORAGE_BUSY" | "BFF_REQUEST_TIMEOUT" | "BFF_CLIENT_CLOSED" | "BFF_SHUTTING_DOWN" | "BFF_BAD_REQUEST" | "BFF_URI_TOO_LONG" | "BFF_HEADERS_TOO_LARGE" | "BFF_DOWNLOAD_NOT_FOUND" | "BFF_CLIENT_TIMEOUT" | "BFF_CSRF_REJECTED" | "BFF_SIGN_IN_FAILED" | "BFF_SIGN_IN_UNAVAILABLE" | "BFF_SESSION_STORE_UNAVAILABLE" | "BFF_PRECONDITION_FAILED" | "BFF_IDEMPOTENCY_IN_FLIGHT" | "BFF_IDEMPOTENCY_MISMATCH" | "BFF_IDEMPOTENCY_UNAVAILABLE" | "BFF_RATE_LIMITED" | "BFF_OVERLOADED";
            requestId?: string;
            errors?: {
                /** @description Where the bad value is, e.g. body.options.splitRatio */
                path: string;
                message: string;
            }[];
        };
        /** ResourceCondition */
        ResourceCondition: {
            /** @description Condition name, e.g. Started or Finished */
            condition: string;
            /** @enum {string} */
            status: "Waiting" | "Reached" | "FailedReach";
            /** @description Epoch milliseconds */
            lastTransitionTime: number;
            reason: string | null;
            message: string | null;
        };
        /** ResourceMetadata */
        ResourceMetadata: {
            timeCreated: number;
            lastUpdated: number;
            generation: number;
            attributes: {
                [key: string]: string;
            };
        };
        /** Dataset */
        Dataset: {
            datasetId: string;
            name: string;
            owner: string;
            organizationId: string;
            /** @enum {string} */
            type: "phrase-grounding" | "vqa";
            /** @enum {string} */
            content: "Image";
            /** @description Epoch milliseconds */
            createDate: number;
            statistic: {
                assetTotal: number;
                annotationTotal: number;
                assetAnnotated: number;
                tagsCount: {
                    [key: string]: number;
                };
            };
            users: {
                [key: string]: {
                    workspaceRole: string;
                    datasets: {
                        [key: string]: string;
                    };
                } | string;
            };
            tags: {
                [key: string]: number;
            };
            status: number;
            /** @description Epoch milliseconds */
            lastAccessed: number;
            isLocked: boolean;
            access: {
                isPublic: boolean | null;
                isReadOnly: boolean | null;
                isHidden: boolean | null;
            };
            assetStatuses: {
                [key: string]: {
                    description: string;
                    color: string;
                    createDate: number | null;
                };
            };
            /** @description This dataset's vi-bff route */
            selfLink: string;
            etag: string;
            description: string | null;
        };
        /** DatasetList */
        DatasetList: {
            items: components["schemas"]["Dataset"][];
            /** @description Pass as pageToken for the next page; null on the last page */
            nextPageToken: string | null;
        };
        /** DeletedDataset */
        DeletedDataset: {
            kind: string;
            user: string;
            organizationId: string;
            datasetId: string;
            /** @description This deletion's vi-bff route */
            selfLink: string;
            etag: string;
            metadata: components["schemas"]["ResourceMetadata"];
            status: {
                conditions: components["schemas"]["ResourceCondition"][];
            };
        };
        /** CreateExportRequest */
        CreateExportRequest: {
            /**
             * @description VI_FULL: assets and annotations; VI_JSONL: annotations only
             * @enum {string}
             */
            format?: "VI_FULL" | "VI_JSONL";
            options?: {
                /** @description Normalise coordinates; default true */
                normalized?: boolean;
                splitRatio?: number | null;
            };
        };
        /** DatasetExport */
        DatasetExport: {
            organizationId: string;
            datasetId: string;
            datasetExportId: string;
            spec: {
                /** @enum {string} */
                format: "VI_FULL" | "VI_JSONL" | "VI_TFRECORD";
                options: {
                    normalized: boolean;
                    splitRatio: number | null;
                };
            };
            status: {
                /** @enum {string} */
                state: "pending" | "ready" | "failed";
                conditions: components["schemas"]["ResourceCondition"][];
                downloadUrl: {
                    /** @description vi-bff's archive route for this export (never the signed storage URL) */
                    url: string;
                    /** @description Expiry of the current upstream signed URL, epoch ms; vi-bff refreshes it transparently */
                    expiresAt: number;
                } | null;
            };
            metadata: components["schemas"]["ResourceMetadata"];
            /** @description This export's vi-bff route */
            selfLink: string;
            etag: string;
        };
        /** DatasetExportList */
        DatasetExportList: {
            items: components["schemas"]["DatasetExport"][];
            nextPageToken: string | null;
        };
        /**
         * BulkAssetDeletionRequest
         * @example {
         *       "filter": "{\"status\": \"error\"}",
         *       "strictQuery": true
         *     }
         */
        BulkAssetDeletionRequest: {
            /** @description Filter criteria, as a string or an object (SDK: filter_criteria), e.g. `{"status": "error"}` */
            filter?: string | {
                [key: string]: unknown;
            } | null;
            metadataQuery?: string | null;
            ruleQuery?: string | null;
            strictQuery?: boolean | null;
        };
        /** BulkAssetDeletionSession */
        BulkAssetDeletionSession: {
            kind: string;
            organizationId: string;
            datasetId: string;
            deleteManyAssetsSessionId: string;
            /** @description This session's vi-bff route */
            selfLink: string;
            etag: string;
            metadata: components["schemas"]["ResourceMetadata"];
            spec: {
                /** @description Filter criteria, as a string or an object (SDK: filter_criteria), e.g. `{"status": "error"}` */
                filter: string | {
                    [key: string]: unknown;
                } | null;
                metadataQuery: string | null;
                ruleQuery: string | null;
                strictQuery: boolean | null;
            };
            status: {
                conditions: components["schemas"]["ResourceCondition"][];
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    headHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "unready" | "draining";
                        checks: {
                            /**
                             * @description down: unreachable or failing (still ready: the cache serves stale-if-error); rejected: vi-bff's credentials refused (unready)
                             * @enum {string}
                             */
                            upstream: "ok" | "down" | "rejected";
                            /** @enum {string} */
                            cache: "ok" | "degraded";
                            /** @enum {string} */
                            cacheKind: "memory" | "redis";
                        };
                    };
                };
            };
            /** @description Not ready: shutting down, or the Vi API rejects vi-bff's credentials */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "unready" | "draining";
                        checks: {
                            /**
                             * @description down: unreachable or failing (still ready: the cache serves stale-if-error); rejected: vi-bff's credentials refused (unready)
                             * @enum {string}
                             */
                            upstream: "ok" | "down" | "rejected";
                            /** @enum {string} */
                            cache: "ok" | "degraded";
                            /** @enum {string} */
                            cacheKind: "memory" | "redis";
                        };
                    };
                };
            };
        };
    };
    headReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not ready: shutting down, or the Vi API rejects vi-bff's credentials */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    listDatasets: {
        parameters: {
            query?: {
                /** @description Items per page */
                pageSize?: number;
                /** @description Opaque token from a previous page's nextPageToken */
                pageToken?: string;
            };
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of datasets */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetList"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headListDatasets: {
        parameters: {
            query?: {
                /** @description Items per page */
                pageSize?: number;
                /** @description Opaque token from a previous page's nextPageToken */
                pageToken?: string;
            };
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of datasets */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getDataset: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dataset */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDataset: {
        parameters: {
            query?: never;
            header?: {
                /** @description Delete only if the dataset is still this version: its ETag from GET (strong comparison; `*` = any current version). Checked against a fresh Vi API read, not the cache; 412 otherwise, nothing deleted */
                "If-Match"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deletion accepted; poll Location for progress */
            202: {
                headers: {
                    /** @description The new resource's vi-bff route: poll it for progress */
                    Location?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedDataset"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict reported by the Vi API */
            409: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match does not match the resource's current ETag; nothing was changed */
            412: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headDataset: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dataset */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getDatasetDeletion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deletion operation */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedDataset"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headDatasetDeletion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deletion operation */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    listExports: {
        parameters: {
            query?: {
                /** @description Items per page */
                pageSize?: number;
                /** @description Opaque token from a previous page's nextPageToken */
                pageToken?: string;
            };
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of exports */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExportList"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createExport: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A unique value per intended write (e.g. a UUID), 1-255 printable ASCII characters. A retry with the same key and body within IDEMPOTENCY_TTL_S gets the first answer again (`Idempotent-Replayed: true`) and creates nothing; 409 while the first is still running; 422 with another body. Per caller.
                 * @example 4f6c1c3e-8b1e-4e5a-9d0b-6f4d2a7c9e10
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateExportRequest"];
            };
        };
        responses: {
            /** @description Export accepted; poll Location until status.state is ready or failed */
            202: {
                headers: {
                    /** @description The new resource's vi-bff route: poll it for progress */
                    Location?: string;
                    /** @description `true` when this is the stored answer of an earlier request with the same Idempotency-Key (nothing was created) */
                    "Idempotent-Replayed"?: "true";
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExport"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict reported by the Vi API, or (BFF_IDEMPOTENCY_IN_FLIGHT, with Retry-After) a request with this Idempotency-Key is still running */
            409: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body over 1 MiB */
            413: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Content-Type */
            415: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description BFF_IDEMPOTENCY_MISMATCH: this Idempotency-Key was used with another body */
            422: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headListExports: {
        parameters: {
            query?: {
                /** @description Items per page */
                pageSize?: number;
                /** @description Opaque token from a previous page's nextPageToken */
                pageToken?: string;
            };
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of exports */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Export id */
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExport"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETags of a copy you hold (weak or strong, comma-separated, or `*`): 304 without a body while it is current */
                "If-None-Match"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Export id */
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export */
            200: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    /** @description Validator of this representation, for If-None-Match */
                    ETag?: string;
                    /** @description RFC 9211 cache status of vi-bff's cache, e.g. `vi-bff; hit` or `vi-bff; fwd=miss` */
                    "Cache-Status"?: string;
                    /** @description `private, no-cache`: a client may store it but revalidates with If-None-Match */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    bulkDeleteAssets: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A unique value per intended write (e.g. a UUID), 1-255 printable ASCII characters. A retry with the same key and body within IDEMPOTENCY_TTL_S gets the first answer again (`Idempotent-Replayed: true`) and creates nothing; 409 while the first is still running; 422 with another body. Per caller.
                 * @example 4f6c1c3e-8b1e-4e5a-9d0b-6f4d2a7c9e10
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BulkAssetDeletionRequest"];
            };
        };
        responses: {
            /** @description Deletion session started; poll Location for progress */
            202: {
                headers: {
                    /** @description The new resource's vi-bff route: poll it for progress */
                    Location?: string;
                    /** @description `true` when this is the stored answer of an earlier request with the same Idempotency-Key (nothing was created) */
                    "Idempotent-Replayed"?: "true";
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkAssetDeletionSession"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict reported by the Vi API, or (BFF_IDEMPOTENCY_IN_FLIGHT, with Retry-After) a request with this Idempotency-Key is still running */
            409: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body over 1 MiB */
            413: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Content-Type */
            415: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description BFF_IDEMPOTENCY_MISMATCH: this Idempotency-Key was used with another body */
            422: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAssetDeletion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Bulk asset deletion session id */
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkAssetDeletionSession"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headAssetDeletion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Bulk asset deletion session id */
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getExportArchive: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-500` (RFC 9110 §14.2); several ranges get the whole archive. Ignored on HEAD.
                 * @example bytes=0-1023
                 */
                Range?: string;
                /** @description The ETag or Last-Modified of a previous response: the range is honoured only if the archive has not changed since, else the whole archive is sent (200) */
                "If-Range"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Export id */
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archive: Content-Length, Content-Disposition, Accept-Ranges: bytes and an ETag stable for the export */
            200: {
                headers: {
                    /** @description Bytes in this response body */
                    "Content-Length"?: string;
                    /** @description `attachment; filename="{datasetId}-{exportId}.zip"` */
                    "Content-Disposition"?: string;
                    /** @description `bytes`: Range requests are honoured */
                    "Accept-Ranges"?: string;
                    /** @description Strong validator of the archive, stable for the export; send it as If-Range to resume */
                    ETag?: string;
                    /** @description When storage last changed the archive, when it says */
                    "Last-Modified"?: string;
                    /** @description `private, no-transform` */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description The requested byte range (Range, honoured with If-Range), with Content-Range */
            206: {
                headers: {
                    /** @description Bytes in this response body */
                    "Content-Length"?: string;
                    /** @description `attachment; filename="{datasetId}-{exportId}.zip"` */
                    "Content-Disposition"?: string;
                    /** @description `bytes`: Range requests are honoured */
                    "Accept-Ranges"?: string;
                    /** @description Strong validator of the archive, stable for the export; send it as If-Range to resume */
                    ETag?: string;
                    /** @description When storage last changed the archive, when it says */
                    "Last-Modified"?: string;
                    /** @description `private, no-transform` */
                    "Cache-Control"?: string;
                    /** @description The range sent and the archive's size, `bytes 0-1023/4096` (206); `bytes *\/4096` (416) */
                    "Content-Range"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export is still being prepared; retry after Retry-After seconds */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Range not satisfiable */
            416: {
                headers: {
                    /** @description The range sent and the archive's size, `bytes 0-1023/4096` (206); `bytes *\/4096` (416) */
                    "Content-Range"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export failed and has no archive */
            422: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headExportArchive: {
        parameters: {
            query?: never;
            header?: {
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Export id */
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archive: Content-Length, Content-Disposition, Accept-Ranges: bytes and an ETag stable for the export */
            200: {
                headers: {
                    /** @description Bytes in this response body */
                    "Content-Length"?: string;
                    /** @description `attachment; filename="{datasetId}-{exportId}.zip"` */
                    "Content-Disposition"?: string;
                    /** @description `bytes`: Range requests are honoured */
                    "Accept-Ranges"?: string;
                    /** @description Strong validator of the archive, stable for the export; send it as If-Range to resume */
                    ETag?: string;
                    /** @description When storage last changed the archive, when it says */
                    "Last-Modified"?: string;
                    /** @description `private, no-transform` */
                    "Cache-Control"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The export is still being prepared; retry after Retry-After seconds */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The export failed and has no archive */
            422: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    downloadDataset: {
        parameters: {
            query?: {
                /** @description VI_FULL: assets and annotations; VI_JSONL: annotations only */
                format?: "VI_FULL" | "VI_JSONL";
                /** @description Normalise coordinates; default true */
                normalized?: boolean;
                /**
                 * @description Training fraction, e.g. 0.8; default none
                 * @example 0.8
                 */
                splitRatio?: number;
                /** @description Annotations only: the same as format=VI_JSONL (as the SDK's annotations_only) */
                annotationsOnly?: boolean;
                /** @description Seconds to wait for the export to be ready before answering 202; default and cap ARCHIVE_MAX_WAIT_S */
                wait?: number;
            };
            header?: {
                /**
                 * @description One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-500` (RFC 9110 §14.2); several ranges get the whole archive. Ignored on HEAD.
                 * @example bytes=0-1023
                 */
                Range?: string;
                /** @description The ETag or Last-Modified of a previous response: the range is honoured only if the archive has not changed since, else the whole archive is sent (200) */
                "If-Range"?: string;
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archive: Content-Length, Content-Disposition, Accept-Ranges: bytes and an ETag stable for the export */
            200: {
                headers: {
                    /** @description Bytes in this response body */
                    "Content-Length"?: string;
                    /** @description `attachment; filename="{datasetId}-{exportId}.zip"` */
                    "Content-Disposition"?: string;
                    /** @description `bytes`: Range requests are honoured */
                    "Accept-Ranges"?: string;
                    /** @description Strong validator of the archive, stable for the export; send it as If-Range to resume */
                    ETag?: string;
                    /** @description When storage last changed the archive, when it says */
                    "Last-Modified"?: string;
                    /** @description `private, no-transform` */
                    "Cache-Control"?: string;
                    /** @description The archive route of the export that was streamed (resume there: a newer export may answer this route later) */
                    "Content-Location"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Still being prepared: poll Location (or its /events) and come back after Retry-After seconds */
            202: {
                headers: {
                    /** @description The new resource's vi-bff route: poll it for progress */
                    Location?: string;
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExport"];
                };
            };
            /** @description The requested byte range (Range, honoured with If-Range), with Content-Range */
            206: {
                headers: {
                    /** @description Bytes in this response body */
                    "Content-Length"?: string;
                    /** @description `attachment; filename="{datasetId}-{exportId}.zip"` */
                    "Content-Disposition"?: string;
                    /** @description `bytes`: Range requests are honoured */
                    "Accept-Ranges"?: string;
                    /** @description Strong validator of the archive, stable for the export; send it as If-Range to resume */
                    ETag?: string;
                    /** @description When storage last changed the archive, when it says */
                    "Last-Modified"?: string;
                    /** @description `private, no-transform` */
                    "Cache-Control"?: string;
                    /** @description The range sent and the archive's size, `bytes 0-1023/4096` (206); `bytes *\/4096` (416) */
                    "Content-Range"?: string;
                    /** @description The archive route of the export that was streamed (resume there: a newer export may answer this route later) */
                    "Content-Location"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export is still being prepared; retry after Retry-After seconds */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Range not satisfiable */
            416: {
                headers: {
                    /** @description The range sent and the archive's size, `bytes 0-1023/4096` (206); `bytes *\/4096` (416) */
                    "Content-Range"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export failed and has no archive */
            422: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headDownloadDataset: {
        parameters: {
            query?: {
                /** @description VI_FULL: assets and annotations; VI_JSONL: annotations only */
                format?: "VI_FULL" | "VI_JSONL";
                /** @description Normalise coordinates; default true */
                normalized?: boolean;
                /**
                 * @description Training fraction, e.g. 0.8; default none
                 * @example 0.8
                 */
                splitRatio?: number;
                /** @description Annotations only: the same as format=VI_JSONL (as the SDK's annotations_only) */
                annotationsOnly?: boolean;
                /** @description Seconds to wait for the export to be ready before answering 202; default and cap ARCHIVE_MAX_WAIT_S */
                wait?: number;
            };
            header?: {
                /** @description `no-cache` (or `max-age=0`, `no-store`) reads through vi-bff's cache to the Vi API */
                "Cache-Control"?: string;
            };
            path: {
                /** @description Dataset id (bare, without the organisation prefix) */
                datasetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archive: Content-Length, Content-Disposition, Accept-Ranges: bytes and an ETag stable for the export */
            200: {
                headers: {
                    /** @description Bytes in this response body */
                    "Content-Length"?: string;
                    /** @description `attachment; filename="{datasetId}-{exportId}.zip"` */
                    "Content-Disposition"?: string;
                    /** @description `bytes`: Range requests are honoured */
                    "Accept-Ranges"?: string;
                    /** @description Strong validator of the archive, stable for the export; send it as If-Range to resume */
                    ETag?: string;
                    /** @description When storage last changed the archive, when it says */
                    "Last-Modified"?: string;
                    /** @description `private, no-transform` */
                    "Cache-Control"?: string;
                    /** @description The archive route of the export that was streamed (resume there: a newer export may answer this route later) */
                    "Content-Location"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Still being prepared: poll Location (or its /events) and come back after Retry-After seconds */
            202: {
                headers: {
                    /** @description The new resource's vi-bff route: poll it for progress */
                    Location?: string;
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The export is still being prepared; retry after Retry-After seconds */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The export failed and has no archive */
            422: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getExportEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Export id */
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headExportEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                datasetId: string;
                /** @description Export id */
                exportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not found */
            404: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller's rate limit or concurrency cap is reached (BFF_RATE_LIMITED); retry after Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The user's subject at the identity provider (an API key's name for key callers) */
                        sub: string;
                        name: string | null;
                        email: string | null;
                        scopes: ("datasets:read" | "datasets:delete" | "exports:write" | "assets:delete")[];
                        /** @description Epoch milliseconds, as every time in this API: the session's absolute end or the token's exp; null for API keys */
                        expiresAt: number | null;
                    };
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    headMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    signIn: {
        parameters: {
            query?: {
                /** @description A path on this origin to return to after sign-in */
                returnTo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the identity provider's authorization endpoint */
            302: {
                headers: {
                    location?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signInCallback: {
        parameters: {
            query?: {
                code?: string;
                state?: string;
                error?: string;
                error_description?: string;
                iss?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed in: to returnTo, with the session cookie set */
            302: {
                headers: {
                    location?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            200: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The identity provider's end-session URL to send the browser to, or null */
                        endSessionUrl: string | null;
                    };
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Retry after Retry-After: the Vi API is unreachable or rate limiting (BFF_UPSTREAM_UNAVAILABLE, BFF_UPSTREAM_RATE_LIMITED), vi-bff's circuit breaker or upstream queue refuses calls for now (BFF_UPSTREAM_UNAVAILABLE), or vi-bff is overloaded and sheds load (BFF_OVERLOADED) */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying (an integer) */
                    "Retry-After"?: string;
                    /** @description This request's id, as logged (the caller's X-Request-Id when it is 1-128 characters of `A-Za-z0-9._:-`) */
                    "X-Request-Id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
