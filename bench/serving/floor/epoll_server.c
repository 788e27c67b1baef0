// A no-work HTTP server: the floor of what this machine's loopback, scheduler and wrk allow.
//
// Every epoll thread accepts connections from one listening socket and answers each GET with the same 20-byte JSON
// body, with TCP_NODELAY on. Nothing is parsed beyond counting request heads, so what wrk measures against it is
// the kernel, the scheduler and wrk itself. Used by floor.sh; not part of Hangar.
//
//   cc -O2 -o epoll_server epoll_server.c -lpthread && ./epoll_server PORT THREADS
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char answer[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"predictions\":[1]}\n";
static int listener;

static void *serve(void *unused) {
    (void)unused;
    int poller = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = listener};
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event ready[64];
    static __thread char buffer[65536];
    for (;;) {
        int count = epoll_wait(poller, ready, 64, -1);
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == listener) {
                int client = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
                if (client < 0) continue;
                int one = 1;
                setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct epoll_event e = {.events = EPOLLIN, .data.fd = client};
                epoll_ctl(poller, EPOLL_CTL_ADD, client, &e);
                continue;
            }
            ssize_t got = read(fd, buffer, sizeof buffer);
            if (got <= 0) {
                close(fd);
                continue;
            }
            int heads = 0;  // wrk sends one request at a time per connection; count heads in case of more
            for (ssize_t j = 3; j < got; j++) heads += buffer[j] == '\n' && buffer[j - 1] == '\r' && buffer[j - 2] == '\n';
            for (int h = 0; h < (heads ? heads : 1); h++) {
                if (write(fd, answer, sizeof answer - 1) < 0) break;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PORT THREADS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[2]);
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1024) != 0) {
        perror("epoll_server: bind/listen");
        return 1;
    }
    pthread_t thread;
    for (int i = 1; i < threads; i++) pthread_create(&thread, NULL, serve, NULL);
    serve(NULL);
}
