/** The process workflows' settings (ProcessConfig). */
export const PROCESS_CONFIG = Symbol('PROCESS_CONFIG');
/** Where notifications go (NotificationChannel: mail, or the log). */
export const NOTIFICATION_CHANNEL = Symbol('NOTIFICATION_CHANNEL');
