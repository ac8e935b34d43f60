import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Keyword attributes operators filter on in the Temporal UI. Never personal data: they are stored in clear. */
export const ferrySourceKey = defineSearchAttributeKey('FerrySource', SearchAttributeType.KEYWORD);
export const ferryStatusKey = defineSearchAttributeKey('FerryStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = ['FerrySource', 'FerryStatus'] as const;
