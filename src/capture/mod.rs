/*!
Capture reading: pcap and pcapng files, link layers, IP (with defragmentation), UDP and TCP
(with stream reassembly). Produces the payloads that may carry SIP, with their metadata.
*/
