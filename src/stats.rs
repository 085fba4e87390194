//! Counting what a capture holds: packets, SIP messages per method, status and transport.
