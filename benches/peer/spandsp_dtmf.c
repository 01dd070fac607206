/* Reference harness: runs spandsp's DTMF receiver (dtmf_rx with its realtime callback) over raw audio.
 * Input: a file of signed 16-bit little-endian mono samples at 8 kHz (read whole into memory first, so the
 * timing covers only the receiver). Output, one line each:
 *   key <char> <onset_sample> <decided_sample>     when the realtime callback reports a key
 *   end <decided_sample>                            when it reports the key has ended
 *   seconds <processing time>                       last line
 * Built by benches/peer.sh with: cc -O2 spandsp_dtmf.c -lspandsp -o spandsp_dtmf */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <spandsp.h>

static long long position;   /* samples handed to dtmf_rx before the current block */
static int block_len;

static void on_tone(void *user_data, int code, int level, int delay)
{
    (void) user_data; (void) level;
    /* The callback fires while dtmf_rx processes the current block; the decision is at the block's end at the
     * latest. spandsp reports `delay` as samples between the tone's onset and the report when known. */
    long long decided = position + block_len;
    if (code)
        printf("key %c %lld %lld\n", code, decided - (delay > 0 ? delay : 0), decided);
    else
        printf("end %lld\n", decided);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s AUDIO.s16 [block]\n", argv[0]);
        return 2;
    }
    int block = argc > 2 ? atoi(argv[2]) : 160;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    int16_t *amp = malloc(bytes);
    if (!amp || fread(amp, 1, bytes, f) != (size_t) bytes) { fprintf(stderr, "read failed\n"); return 2; }
    fclose(f);
    long long n = bytes / 2;

    dtmf_rx_state_t *rx = dtmf_rx_init(NULL, NULL, NULL);
    dtmf_rx_set_realtime_callback(rx, on_tone, NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (position = 0; position < n; position += block) {
        block_len = (int) ((n - position) < block ? (n - position) : block);
        dtmf_rx(rx, amp + position, block_len);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("seconds %.6f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    dtmf_rx_free(rx);
    free(amp);
    return 0;
}
