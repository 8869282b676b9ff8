/**
 * When Okta's System Log records reach a consumer (the System Log API's polling, log streaming to EventBridge or
 * Splunk): near real time, seconds after the event; a log-normal around 2 s, none after a minute.
 */
import type { DeliveryDelay } from '../delivery-delay.js';

export const OKTA_DELIVERY_DELAY: DeliveryDelay = { median_seconds: 2, sigma: 0.7, max_seconds: 60 };
