#include "CKernels.h"
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>

int aelab_exit_with_parent(int parent) {
    // An ignored or blocked SIGTERM survives exec: whoever started the sweep
    // (a thread pool's thread, say) may have passed one down.
    signal(SIGTERM, SIG_DFL);
    sigset_t terminate;
    sigemptyset(&terminate);
    sigaddset(&terminate, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &terminate, NULL);
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) return -1;
    // The parent may have died before prctl: then we were re-parented.
    return getppid() == parent ? 0 : -1;
}

int aelab_try_lock(const char *path) {
    int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -2;
    }
    // The holder's PID, so a process that is refused can name it.
    char pid[24];
    int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)length, 0) != length) {
        close(fd);
        return -1;
    }
    return fd;
}
