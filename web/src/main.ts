// The page's entry: defining <chat-app> (and through it every component) starts the app.
import './app/chat-app.ts';
