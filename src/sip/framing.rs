//! Recognising SIP messages by content and framing them by Content-Length.
