/**
 * The description of the measure behind a KPI (ISO/IEC 27004:2016 Annex B), from its catalogue entry,
 * with the names the JSON report and `list -f json` use. Only the fields the catalogue gives; the
 * lifecycle only when it is not `active` (the default).
 */
import type { KpiConfig } from './schema.js';

export interface MeasureDescription {
  informationNeed?: string;
  objective?: string;
  measureType?: NonNullable<KpiConfig['measure_type']>;
  method?: NonNullable<KpiConfig['method']>;
  interpretation?: string;
  decision?: NonNullable<KpiConfig['decision']>;
  roles?: NonNullable<KpiConfig['roles']>;
  reviewEvery?: NonNullable<KpiConfig['review_every']>;
  lastReviewed?: string;
  lifecycle?: 'draft' | 'retired';
}

export function measureDescription(c: KpiConfig): MeasureDescription {
  return {
    ...(c.information_need ? { informationNeed: c.information_need } : {}),
    ...(c.objective ? { objective: c.objective } : {}),
    ...(c.measure_type ? { measureType: c.measure_type } : {}),
    ...(c.method ? { method: c.method } : {}),
    ...(c.interpretation ? { interpretation: c.interpretation } : {}),
    ...(c.decision ? { decision: c.decision } : {}),
    ...(c.roles ? { roles: c.roles } : {}),
    ...(c.review_every ? { reviewEvery: c.review_every } : {}),
    ...(c.last_reviewed ? { lastReviewed: c.last_reviewed } : {}),
    ...(c.lifecycle === 'draft' || c.lifecycle === 'retired' ? { lifecycle: c.lifecycle } : {}),
  };
}
