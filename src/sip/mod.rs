/*!
SIP messages: recognising them in a payload, framing them in a byte stream, parsing them.

`framing` is what the capture layer needs: is this payload SIP, and where does each message of a
TCP stream end (Content-Length). The full grammar lives beside it.
*/

pub mod framing;
