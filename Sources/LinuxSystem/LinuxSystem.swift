// LinuxSystem module.
import CCordonLinux
