// Generated from vi-bff's OpenAPI document by `npm run openapi:types`; do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        /** Readiness: the Vi API answers vi-bff's credentials; a failing Redis is reported as degraded, not unready */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        /** List datasets (SDK: datasets.list) */
        get: operations["listDatasets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        /** Get a dataset (SDK: datasets.get) */
        get: operations["getDataset"];
        put?: never;
        post?: never;
        /** Delete a dataset (SDK: datasets.delete); poll the deletion route for progress */
        delete: operations["deleteDataset"];
        options?: never;
        head?: never;
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
        /** Get a dataset's deletion status (SDK: datasets.get_deletion_operation) */
        get: operations["getDatasetDeletion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        /** List a dataset's exports (SDK: datasets.list_exports) */
        get: operations["listExports"];
        put?: never;
        /** Create an export (SDK: datasets.create_export); defaults VI_FULL, normalized, no split */
        post: operations["createExport"];
        delete?: never;
        options?: never;
        head?: never;
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
        /** Get an export and its derived state (SDK: datasets.get_export) */
        get: operations["getExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        /** Bulk-delete assets matching a filter (SDK: datasets.bulk_delete_assets); poll the session for progress */
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
        /** Get a bulk asset deletion session (SDK: datasets.get_bulk_asset_deletion_session) */
        get: operations["getAssetDeletion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
         * Stream an export's archive (also HEAD); resumable with Range and If-Range
         * @description Streams the zip from storage through vi-bff (the signed URL never reaches the caller). 409 while the export is pending, 422 if it failed. `curl -C -` resumes an interrupted download.
         */
        get: operations["getExportArchive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
         * Download a dataset in one call (SDK: datasets.download); also HEAD
         * @description Reuses a ready export with the same settings, or one being prepared, or creates one (needs exports:write; concurrent callers share it), waits up to `wait` seconds, then streams the archive as the export archive route does. Still preparing: 202 with Retry-After and the export's Location.
         */
        get: operations["downloadDataset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        head?: never;
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
        /** Who is calling: the signed-in user (session cookie) or the bearer caller, with its scopes */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
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
        /** The identity provider returns here: checks state, exchanges the code, creates the session, redirects to returnTo */
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
            /** @description Stable machine-readable code, e.g. BFF_DATASET_NOT_FOUND */
            code: string;
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
        /** BulkAssetDeletionRequest */
        BulkAssetDeletionRequest: {
            /** @description Filter criteria, as a string or an object */
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
                /** @description Filter criteria, as a string or an object */
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "unready";
                        checks: {
                            /** @enum {string} */
                            upstream: "ok" | "unreachable" | "rejected";
                            /** @enum {string} */
                            cache: "ok" | "degraded";
                            /** @enum {string} */
                            cacheKind: "memory" | "redis";
                        };
                    };
                };
            };
            /** @description Not ready: the Vi API is unreachable or rejects vi-bff's credentials */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "unready";
                        checks: {
                            /** @enum {string} */
                            upstream: "ok" | "unreachable" | "rejected";
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
    listDatasets: {
        parameters: {
            query?: {
                /** @description Items per page */
                pageSize?: number;
                /** @description Opaque token from a previous page's nextPageToken */
                pageToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of datasets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetList"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDataset: {
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
            /** @description The dataset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
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
            header?: never;
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedDataset"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict reported by the Vi API */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedDataset"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
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
            header?: never;
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExportList"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
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
            header?: never;
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExport"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict reported by the Vi API */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Content-Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExport: {
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
            /** @description The export */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExport"];
                };
            };
            /** @description Not Modified: the ETag in If-None-Match still matches */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bulkDeleteAssets: {
        parameters: {
            query?: never;
            header?: never;
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkAssetDeletionSession"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict reported by the Vi API */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Content-Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkAssetDeletionSession"];
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExportArchive: {
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
            /** @description The archive: Content-Length, Content-Disposition, Accept-Ranges: bytes and an ETag stable for the export */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description The requested byte range (Range, honoured with If-Range), with Content-Range */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export is still being prepared; retry after Retry-After seconds */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Range not satisfiable */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export failed and has no archive */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
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
                /** @description Training fraction, e.g. 0.8; default none */
                splitRatio?: number;
                /** @description Annotations only: the same as format=VI_JSONL (as the SDK's annotations_only) */
                annotationsOnly?: boolean;
                /** @description Seconds to wait for the export to be ready before answering 202; default and cap ARCHIVE_MAX_WAIT_S */
                wait?: number;
            };
            header?: never;
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
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Still being prepared: poll Location (or its /events) and come back after Retry-After seconds */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetExport"];
                };
            };
            /** @description The requested byte range (Range, honoured with If-Range), with Content-Range */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export is still being prepared; retry after Retry-After seconds */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Range not satisfiable */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export failed and has no archive */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
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
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API failed, broke its protocol, or rejected vi-bff's credentials */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The user's subject at the identity provider (an API key's name for key callers) */
                        sub: string;
                        name: string | null;
                        email: string | null;
                        scopes: ("datasets:read" | "datasets:delete" | "exports:write" | "assets:delete")[];
                        /** @description Epoch seconds: the session's absolute end or the token's exp; null for API keys */
                        expiresAt: number | null;
                    };
                };
            };
            /** @description Missing or invalid credentials (API key, JWT or session cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
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
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
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
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input, or the Vi API rejected it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
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
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The caller lacks the scope this route needs, or a cookie-authenticated write failed the CSRF check */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Vi API is unreachable or rate limiting (see Retry-After) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
