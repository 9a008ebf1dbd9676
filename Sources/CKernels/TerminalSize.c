#include "CKernels.h"
#include <sys/ioctl.h>
#include <unistd.h>

int aelab_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return -1;
    return size.ws_col;
}
