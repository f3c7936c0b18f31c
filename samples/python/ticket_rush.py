# The ticket rush of the multiprocessing tutorial (seed 002), shared with JVM buyers.
# Only the imports and the Lock's constructor differ from the tutorial: the lock is a procsync
# Lock named "db", which the JVM half (TicketRushWithPython.java) takes too. The Java half runs
# this file in the directory that holds 'ticket' and sets PROCSYNC_ROOT / TICKETS_NAMESPACE.
# 文件db的内容为:{"count":3}
# 注意一定要用双引号,不然json无法识别
import json
import os
import time
import random
from multiprocessing import Process

import procsync


def check_ticket(i):
    with open('ticket') as f:
        ticket_count = json.load(f)
    print('person{}查询当前余票 : '.format(i), ticket_count['count'])


def buy_ticket(i, lock):
    check_ticket(i)  # 调用查询余票函数
    lock.acquire()  # 锁进程
    with open('ticket') as f:
        ticket_count = json.load(f)
    time.sleep(random.random())  # 模拟读取延迟
    if ticket_count['count'] > 0:
        print('person{}购票成功'.format(i))
        ticket_count['count'] -= 1
        with open('ticket', 'w') as f:
            json.dump(ticket_count, f)
    else:
        print('余票不足,person{}购票失败'.format(i))
    time.sleep(random.random())  # 模拟写入延迟
    lock.release()  # 解锁进程


if __name__ == '__main__':
    lock = procsync.Namespace(os.environ.get('TICKETS_NAMESPACE', 'tickets')).Lock('db')  # 实例化锁这个类得到一个对象lock
    for i in range(5):
        Process(target=buy_ticket, args=(i, lock,)).start()
